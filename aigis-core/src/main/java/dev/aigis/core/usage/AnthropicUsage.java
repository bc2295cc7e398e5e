package dev.aigis.core.usage;

import com.fasterxml.jackson.databind.JsonNode;

/** Token usage in the Anthropic Messages API's shape. */
public final class AnthropicUsage {

  private AnthropicUsage() {}

  /**
   * Normalises an Anthropic {@code usage} object: cache reads and cache writes are part of the
   * input (Anthropic counts them apart from {@code input_tokens}). Null when absent.
   */
  public static TokenUsage from(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long cacheRead = usage.path("cache_read_input_tokens").asLong(0);
    long cacheWrite = usage.path("cache_creation_input_tokens").asLong(0);
    long input = usage.path("input_tokens").asLong(0) + cacheRead + cacheWrite;
    long output = usage.path("output_tokens").asLong(0);
    return new TokenUsage(input, output, input + output, cacheRead, 0, cacheWrite);
  }
}
