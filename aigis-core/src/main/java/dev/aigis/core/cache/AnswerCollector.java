package dev.aigis.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.usage.TokenUsage;

/**
 * Reads an answer as it passes to the client, from the pivot form of each event or of the whole
 * answer (an OpenAI chat chunk or completion, whatever the provider), to store it once the exchange
 * ended well. Only plain text answers of one choice that finished normally are cacheable: tool
 * calls, several choices, a length cut, a content filter, an event that could not be read (no
 * pivot: a processor before the cache rewrote it) or no finish at all make it uncacheable.
 * Owned by one exchange; not thread-safe.
 */
final class AnswerCollector {

  /**
   * Longer answers are not stored: a cache of {@code maxEntries} answers must stay bounded in
   * memory (and in Redis) whatever the model writes.
   */
  static final int MAX_ANSWER_CHARS = 256 * 1024;

  private final StringBuilder text = new StringBuilder();
  private String model;
  private String finishReason;
  private boolean uncacheable;

  /** One event of a stream (or the whole answer, {@code whole}); null pivot: unreadable. */
  void accept(ObjectNode pivot, boolean whole) {
    if (uncacheable) {
      return;
    }
    if (pivot == null) {
      uncacheable = true;
      return;
    }
    if (model == null && pivot.path("model").isTextual()) {
      model = pivot.get("model").asText();
    }
    JsonNode choices = pivot.path("choices");
    if (choices.size() > 1) {
      uncacheable = true;
      return;
    }
    for (JsonNode choice : choices) {
      if (choice.path("index").asInt(0) != 0) {
        uncacheable = true;
        return;
      }
      JsonNode part = whole ? choice.path("message") : choice.path("delta");
      if (part.path("tool_calls").isArray() && !part.path("tool_calls").isEmpty()
          || part.hasNonNull("function_call") || part.hasNonNull("refusal")) {
        uncacheable = true;
        return;
      }
      if (part.path("content").isTextual()) {
        text.append(part.get("content").asText());
        if (text.length() > MAX_ANSWER_CHARS) {
          uncacheable = true;
          text.setLength(0);
          return;
        }
      } else if (part.hasNonNull("content")) {
        uncacheable = true; // content parts (audio, images): not a plain text answer
        return;
      }
      if (choice.hasNonNull("finish_reason")) {
        finishReason = choice.get("finish_reason").asText();
      }
    }
  }

  /** Whether the answer can be stored: one text choice that stopped normally. */
  boolean cacheable() {
    return !uncacheable && "stop".equals(finishReason);
  }

  /** The answer as an OpenAI {@code chat.completion} with {@code usage}; call only when {@link #cacheable()}. */
  ObjectNode completion(String requestModel, TokenUsage usage, long createdSeconds, String id) {
    ObjectNode completion = Json.MAPPER.createObjectNode();
    completion.put("id", "chatcmpl-cache-" + id);
    completion.put("object", "chat.completion");
    completion.put("created", createdSeconds);
    completion.put("model", model != null ? model : requestModel == null ? "" : requestModel);
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", text.toString());
    choice.put("finish_reason", "stop");
    if (usage != null && !usage.equals(TokenUsage.NONE)) {
      ObjectNode u = completion.putObject("usage");
      u.put("prompt_tokens", usage.input());
      u.put("completion_tokens", usage.output());
      u.put("total_tokens", usage.total() > 0 ? usage.total() : usage.input() + usage.output());
    }
    return completion;
  }
}
