package dev.aigis.core.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.sse.SseDecoder;
import dev.aigis.core.sse.SseEvent;
import dev.aigis.core.sse.SseException;
import dev.aigis.core.usage.TokenUsage;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One {@code streamGenerateContent?alt=sse} stream as OpenAI chunks. Each event is a whole
 * {@code GenerateContentResponse} holding only the new parts; the last one carries
 * {@code finishReason} and the final {@code usageMetadata}. Holds the SSE decoder's partial event,
 * the id and model of the first event, the tool-call count and usage so far. Not thread-safe.
 */
final class GeminiStreamTranslation {

  /** One event's limit; a function call arrives whole in one event, so allow 4 MiB. */
  static final int MAX_EVENT_BYTES = 4 << 20;

  private final InstantSource clock;
  private final java.util.function.Supplier<String> ids;
  private final List<SseEvent> decoded = new ArrayList<>();
  private final SseDecoder decoder = new SseDecoder(decoded::add, MAX_EVENT_BYTES);
  private String id;
  private String model;
  private long created;
  private int toolCalls;
  private TokenUsage usage;
  private boolean finished;

  /** @param ids the stream's id when its first event has no {@code responseId} (asked once: stable across chunks) */
  GeminiStreamTranslation(InstantSource clock, java.util.function.Supplier<String> ids) {
    this.clock = clock;
    this.ids = ids;
  }

  TokenUsage usage() {
    return usage;
  }

  void bytes(byte[] bytes, Consumer<ObjectNode> chunks) throws TranslationException {
    try {
      decoder.feed(bytes);
    } catch (SseException e) {
      throw GeminiJson.invalid(e.getMessage());
    }
    try {
      for (SseEvent event : decoded) {
        if (event.data() != null && !event.data().isBlank()) {
          event(GeminiJson.read(event.data().getBytes(java.nio.charset.StandardCharsets.UTF_8), "a stream event"),
              chunks);
        }
      }
    } finally {
      decoded.clear();
    }
  }

  /**
   * Gemini has no end-of-stream event: a stream is complete when an event carried a
   * {@code finishReason}. One that ends without was cut (a dropped connection, a proxy timeout)
   * and fails as truncated, after the chunks already sent.
   */
  void end(Consumer<ObjectNode> chunks) throws TranslationException {
    if (!finished) {
      throw GeminiJson.invalid("the stream ended before a finishReason");
    }
    ObjectNode last = base();
    last.putArray("choices");
    last.set("usage", GeminiJson.usageNode(usage == null ? TokenUsage.NONE : usage));
    chunks.accept(last);
  }

  private void event(JsonNode event, Consumer<ObjectNode> chunks) throws TranslationException {
    GatewayError.ProviderError error = GeminiJson.error(event, 502);
    if (error != null) {
      throw new TranslationException(error);
    }
    if (id == null) {
      id = event.path("responseId").isTextual() ? event.path("responseId").asText() : ids.get();
      model = event.path("modelVersion").asText(null);
      created = clock.instant().getEpochSecond();
      chunks.accept(chunk(Json.MAPPER.createObjectNode().put("role", "assistant").put("content", ""), null));
    }
    TokenUsage eventUsage = GeminiJson.usage(event.get("usageMetadata"));
    if (eventUsage != null) {
      usage = eventUsage; // cumulative: the last one is the answer's
    }
    JsonNode candidate = event.path("candidates").path(0);
    for (JsonNode part : GeminiJson.parts(candidate)) {
      if (part.path("thought").asBoolean(false)) {
        if (!part.path("text").asText("").isEmpty()) { // thought summaries: the pivot's reasoning_content
          chunks.accept(chunk(Json.MAPPER.createObjectNode().put("reasoning_content", part.path("text").asText()), null));
        }
        continue;
      }
      if (part.path("text").isTextual() && !part.path("text").asText().isEmpty()) {
        chunks.accept(chunk(Json.MAPPER.createObjectNode().put("content", part.path("text").asText()), null));
      } else if (part.path("functionCall").isObject()) {
        ObjectNode call = GeminiJson.toolCall(part.get("functionCall"), toolCalls);
        ObjectNode indexed = Json.MAPPER.createObjectNode().put("index", toolCalls++);
        indexed.setAll(call);
        ObjectNode delta = Json.MAPPER.createObjectNode();
        delta.putArray("tool_calls").add(indexed);
        chunks.accept(chunk(delta, null));
      }
    }
    String reason = candidate.path("finishReason").asText(null);
    String blocked = event.path("promptFeedback").path("blockReason").asText(null);
    if (reason == null && blocked != null && candidate.isMissingNode()) {
      reason = "SAFETY"; // the prompt itself was blocked: no candidate at all
    }
    if (reason != null && !finished) {
      finished = true;
      chunks.accept(chunk(Json.MAPPER.createObjectNode(), GeminiJson.finishReason(reason, toolCalls > 0)));
    }
  }

  private ObjectNode base() {
    ObjectNode chunk = Json.MAPPER.createObjectNode();
    chunk.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
    return chunk;
  }

  private ObjectNode chunk(ObjectNode delta, String finishReason) {
    ObjectNode chunk = base();
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    choice.put("finish_reason", finishReason);
    return chunk;
  }
}
