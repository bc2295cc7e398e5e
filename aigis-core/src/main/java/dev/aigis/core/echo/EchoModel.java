package dev.aigis.core.echo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.sse.SseEncoder;
import dev.aigis.core.usage.TokenCounter;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The built-in {@code aigis-echo} model: answers in the gateway itself with the last user message,
 * in OpenAI's wire format, plain or streamed, with token usage counted by a real tokenizer. It lets
 * a new user get an answer without any provider account.
 */
public final class EchoModel {

  public static final String MODEL_NAME = "aigis-echo";
  /** OpenAI's chat format costs about 3 tokens per message plus 3 to prime the reply. */
  private static final int TOKENS_PER_MESSAGE = 3;
  private static final int REPLY_PRIMING_TOKENS = 3;
  private static final int EMBEDDING_DIMENSIONS = 16;

  private final InstantSource clock;

  public EchoModel(InstantSource clock) {
    this.clock = clock;
  }

  /** A complete answer for one OpenAI request: a JSON body, or the SSE events of a stream. */
  public sealed interface Answer {
    record Body(byte[] json, TokenUsage usage) implements Answer {}

    record Stream(List<byte[]> events, TokenUsage usage) implements Answer {}
  }

  public Answer chatCompletion(JsonNode request, boolean stream, boolean includeUsage) {
    String model = request.path("model").asText(MODEL_NAME);
    JsonNode messages = request.path("messages");
    String reply = lastUserText(messages);
    long promptTokens = REPLY_PRIMING_TOKENS;
    for (JsonNode message : messages) {
      promptTokens += TOKENS_PER_MESSAGE + TokenCounter.count(text(message.path("content")));
    }
    TokenUsage usage = TokenUsage.of(promptTokens, TokenCounter.count(reply));
    String id = "chatcmpl-" + UUID.randomUUID();
    long created = clock.instant().getEpochSecond();
    if (!stream) {
      ObjectNode body = base(id, "chat.completion", created, model);
      ObjectNode choice = body.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", reply);
      choice.put("finish_reason", "stop");
      body.set("usage", usageNode(usage));
      return new Answer.Body(bytes(body), usage);
    }
    var events = new ArrayList<byte[]>();
    events.add(chatChunk(id, created, model, delta -> delta.put("role", "assistant").put("content", ""), null));
    for (String piece : TokenCounter.split(reply)) {
      events.add(chatChunk(id, created, model, delta -> delta.put("content", piece), null));
    }
    events.add(chatChunk(id, created, model, delta -> { }, "stop"));
    if (includeUsage) {
      ObjectNode last = base(id, "chat.completion.chunk", created, model);
      last.putArray("choices");
      last.set("usage", usageNode(usage));
      events.add(SseEncoder.data(string(last)));
    }
    events.add(SseEncoder.data("[DONE]"));
    return new Answer.Stream(events, usage);
  }

  public Answer completion(JsonNode request, boolean stream, boolean includeUsage) {
    String model = request.path("model").asText(MODEL_NAME);
    String prompt = text(request.path("prompt"));
    TokenUsage usage = TokenUsage.of(TokenCounter.count(prompt), TokenCounter.count(prompt));
    String id = "cmpl-" + UUID.randomUUID();
    long created = clock.instant().getEpochSecond();
    if (!stream) {
      ObjectNode body = base(id, "text_completion", created, model);
      ObjectNode choice = body.putArray("choices").addObject();
      choice.put("text", prompt).put("index", 0).putNull("logprobs");
      choice.put("finish_reason", "stop");
      body.set("usage", usageNode(usage));
      return new Answer.Body(bytes(body), usage);
    }
    var events = new ArrayList<byte[]>();
    for (String piece : TokenCounter.split(prompt)) {
      events.add(SseEncoder.data(string(completionChunk(id, created, model, piece, null))));
    }
    events.add(SseEncoder.data(string(completionChunk(id, created, model, "", "stop"))));
    if (includeUsage) {
      ObjectNode last = base(id, "text_completion", created, model);
      last.putArray("choices");
      last.set("usage", usageNode(usage));
      events.add(SseEncoder.data(string(last)));
    }
    events.add(SseEncoder.data("[DONE]"));
    return new Answer.Stream(events, usage);
  }

  public Answer embeddings(JsonNode request) {
    String model = request.path("model").asText(MODEL_NAME);
    JsonNode input = request.path("input");
    List<String> inputs = new ArrayList<>();
    if (input.isArray()) {
      input.forEach(item -> inputs.add(item.isTextual() ? item.asText() : item.toString()));
    } else {
      inputs.add(input.asText(""));
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    long tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding").put("index", i);
      ArrayNode vector = item.putArray("embedding");
      for (double v : vectorOf(inputs.get(i))) {
        vector.add(v);
      }
      tokens += TokenCounter.count(inputs.get(i));
    }
    body.put("model", model);
    body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return new Answer.Body(bytes(body), TokenUsage.of(tokens, 0));
  }

  /**
   * A Cohere-style rerank answer: each document scored by the share of the query's words it
   * contains, so tests and demos get a stable, explainable order. Usage counts the query once per
   * document plus the documents, as cross-encoders read them.
   */
  public Answer rerank(ObjectNode request) throws dev.aigis.core.provider.TranslationException {
    var rerank = dev.aigis.core.provider.rerank.RerankRequest.of(request);
    List<dev.aigis.core.provider.rerank.RerankResults.Scored> scores = new ArrayList<>();
    long tokens = 0;
    for (int i = 0; i < rerank.documents().size(); i++) {
      scores.add(new dev.aigis.core.provider.rerank.RerankResults.Scored(i,
          WordOverlap.score(rerank.query(), rerank.documents().get(i))));
      tokens += TokenCounter.count(rerank.query()) + TokenCounter.count(rerank.documents().get(i));
    }
    ObjectNode body = dev.aigis.core.provider.rerank.RerankResults.answer(rerank, scores);
    body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return new Answer.Body(bytes(body), TokenUsage.of(tokens, 0));
  }

  /** A deterministic unit vector derived from the text, so equal inputs embed equally. */
  private static double[] vectorOf(String text) {
    var random = new java.util.SplittableRandom(text.hashCode());
    double[] v = new double[EMBEDDING_DIMENSIONS];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextDouble(-1, 1);
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) {
      v[i] /= norm;
    }
    return v;
  }

  private byte[] chatChunk(
      String id, long created, String model, java.util.function.Consumer<ObjectNode> delta, String finishReason) {
    ObjectNode chunk = base(id, "chat.completion.chunk", created, model);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    delta.accept(choice.putObject("delta"));
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return SseEncoder.data(string(chunk));
  }

  private ObjectNode completionChunk(String id, long created, String model, String text, String finishReason) {
    ObjectNode chunk = base(id, "text_completion", created, model);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("text", text).put("index", 0).putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return chunk;
  }

  private static ObjectNode base(String id, String object, long created, String model) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", id).put("object", object).put("created", created).put("model", model);
    return node;
  }

  private static ObjectNode usageNode(TokenUsage usage) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("prompt_tokens", usage.input()).put("completion_tokens", usage.output()).put("total_tokens", usage.total());
    return node;
  }

  /** The text of the last user message; "" when there is none. */
  private static String lastUserText(JsonNode messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if ("user".equals(message.path("role").asText())) {
        return text(message.path("content"));
      }
    }
    return "";
  }

  /** Message content is a string or an array of parts; only text parts count. */
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      var text = new StringBuilder();
      for (JsonNode part : content) {
        if (part.isTextual()) {
          text.append(part.asText());
        } else if ("text".equals(part.path("type").asText())) {
          text.append(part.path("text").asText());
        }
      }
      return text.toString();
    }
    return "";
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String string(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
