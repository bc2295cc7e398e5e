package dev.aigis.core.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.ErrorRenderer;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.api.OpenAiErrorRenderer;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.sse.SseEncoder;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * OpenAI's legacy {@code /v1/completions} on top of the chat pivot, for backends that only chat.
 *
 * <p>Request: {@code prompt} (a string, or an array of one string) becomes one user message;
 * {@code model}, {@code max_tokens}, {@code temperature}, {@code top_p}, {@code stop},
 * {@code stream}, {@code stream_options}, {@code presence_penalty}, {@code frequency_penalty},
 * {@code seed} and {@code user} carry over (a missing {@code max_tokens} takes the backend
 * translator's default, not OpenAI's legacy 16). <b>Refused (400):</b> several prompts or token
 * arrays, {@code n} other than 1, {@code best_of} other than 1, {@code echo: true}, a non-empty
 * {@code suffix}, {@code logprobs} (any non-null value). <b>Dropped:</b> {@code logit_bias}.
 *
 * <p>Answer: a {@code chat.completion} becomes a {@code text_completion} ({@code choices[].text}
 * the message content, {@code logprobs: null}, the finish reason and usage kept); stream chunks
 * become {@code text_completion} chunks (the role-only chunk is dropped, the usage-only chunk
 * kept), then {@code data: [DONE]}.
 */
public final class OpenAiCompletionsInboundCodec implements InboundCodec {

  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final List<String> CARRIED = List.of("model", "max_tokens", "temperature", "top_p", "stop",
      "stream", "stream_options", "presence_penalty", "frequency_penalty", "seed", "user");

  @Override
  public InboundApi api() {
    return InboundApi.OpenAI;
  }

  @Override
  public ObjectNode toPivot(JsonNode clientRequest) throws TranslationException {
    if (!(clientRequest instanceof ObjectNode request)) {
      throw invalid("Request body must be a JSON object", null);
    }
    JsonNode prompt = request.get("prompt");
    String text;
    if (prompt != null && prompt.isTextual()) {
      text = prompt.asText();
    } else if (prompt != null && prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
      text = prompt.get(0).asText();
    } else {
      throw invalid("'prompt' must be a string or an array of one string on this backend "
          + "(several prompts and token arrays are not supported)", "prompt");
    }
    if (request.hasNonNull("n") && request.get("n").asInt() != 1) {
      throw invalid("'n' other than 1 is not supported on this backend", "n");
    }
    if (request.hasNonNull("best_of") && request.get("best_of").asInt() != 1) {
      throw invalid("'best_of' is not supported on this backend", "best_of");
    }
    if (request.path("echo").asBoolean(false)) {
      throw invalid("'echo' is not supported on this backend", "echo");
    }
    if (request.hasNonNull("suffix") && !request.get("suffix").asText().isEmpty()) {
      throw invalid("'suffix' is not supported on this backend", "suffix");
    }
    if (request.hasNonNull("logprobs")) {
      throw invalid("'logprobs' is not supported on this backend", "logprobs");
    }
    ObjectNode pivot = Json.MAPPER.createObjectNode();
    for (String field : CARRIED) {
      if (request.hasNonNull(field)) {
        pivot.set(field, request.get(field).deepCopy());
      }
    }
    ArrayNode messages = pivot.putArray("messages");
    messages.addObject().put("role", "user").put("content", text);
    return pivot;
  }

  @Override
  public byte[] fromPivot(ObjectNode chat) {
    ObjectNode out = head(chat);
    ArrayNode choices = out.putArray("choices");
    for (JsonNode choice : chat.path("choices")) {
      JsonNode content = choice.path("message").path("content");
      choices.addObject().put("text", content.isTextual() ? content.asText() : "")
          .put("index", choice.path("index").asInt(0)).putNull("logprobs")
          .put("finish_reason", choice.path("finish_reason").asText("stop"));
    }
    if (chat.path("usage").isObject()) {
      out.set("usage", chat.get("usage"));
    }
    return bytes(out);
  }

  @Override
  public void pivotChunk(ObjectNode chunk, Consumer<byte[]> events) {
    ObjectNode out = head(chunk);
    ArrayNode choices = out.putArray("choices");
    boolean any = false;
    for (JsonNode choice : chunk.path("choices")) {
      JsonNode content = choice.path("delta").path("content");
      JsonNode finish = choice.get("finish_reason");
      boolean hasText = content.isTextual() && !content.asText().isEmpty();
      boolean finished = finish != null && !finish.isNull();
      if (!hasText && !finished) {
        continue; // the role chunk, or a delta this API cannot show (tool calls, refusals)
      }
      any = true;
      ObjectNode item = choices.addObject().put("text", hasText ? content.asText() : "")
          .put("index", choice.path("index").asInt(0)).putNull("logprobs");
      if (finished) {
        item.put("finish_reason", finish.asText());
      } else {
        item.putNull("finish_reason");
      }
    }
    boolean usage = chunk.path("usage").isObject();
    if (usage) {
      out.set("usage", chunk.get("usage"));
    }
    if (any || usage) {
      events.accept(SseEncoder.data(new String(bytes(out), StandardCharsets.UTF_8)));
    }
  }

  @Override
  public void pivotEnd(Consumer<byte[]> events) {
    events.accept(DONE.clone());
  }

  @Override
  public ErrorRenderer errors() {
    return OpenAiErrorRenderer.INSTANCE;
  }

  private static ObjectNode head(ObjectNode chat) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    String id = chat.path("id").asText("cmpl");
    out.put("id", id.startsWith("chatcmpl-") ? "cmpl-" + id.substring("chatcmpl-".length()) : id)
        .put("object", "text_completion").put("created", chat.path("created").asLong(0));
    out.set("model", chat.has("model") ? chat.get("model") : Json.MAPPER.nullNode());
    return out;
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TranslationException invalid(String message, String param) {
    return new TranslationException(new GatewayError.InvalidRequest(message, param));
  }
}
