package dev.aigis.core.usage;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads OpenAI's {@code usage} object (chat, completions, embeddings) into {@link TokenUsage}. */
public final class OpenAiUsage {

  private OpenAiUsage() {}

  /** Returns null when {@code usage} is absent or not an object. */
  public static TokenUsage from(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long input = usage.path("prompt_tokens").asLong(0);
    long output = usage.path("completion_tokens").asLong(0);
    long total = usage.has("total_tokens") ? usage.path("total_tokens").asLong(0) : input + output;
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    long reasoning = usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0);
    return new TokenUsage(input, output, total, cached, reasoning);
  }
}
