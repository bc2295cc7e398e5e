package dev.aigis.core.usage;

import com.fasterxml.jackson.databind.JsonNode;

/** Token usage in Gemini's {@code usageMetadata} shape (Google AI and Vertex AI alike). */
public final class GeminiUsage {

  /** The key Gemini answers carry usage under, for {@link UsageTail}. */
  public static final String KEY = "usageMetadata";

  private GeminiUsage() {}

  /**
   * Normalises {@code usageMetadata}. Gemini counts thoughts apart from candidates; OpenAI counts
   * reasoning inside completion tokens, so output is candidates plus thoughts, reasoning the
   * thoughts. {@code cachedContentTokenCount} is already part of {@code promptTokenCount}. Null
   * when absent.
   */
  public static TokenUsage from(JsonNode metadata) {
    if (metadata == null || !metadata.isObject()) {
      return null;
    }
    long input = metadata.path("promptTokenCount").asLong(0);
    long thoughts = metadata.path("thoughtsTokenCount").asLong(0);
    long output = metadata.path("candidatesTokenCount").asLong(0) + thoughts;
    long total = metadata.has("totalTokenCount") ? metadata.path("totalTokenCount").asLong() : input + output;
    return new TokenUsage(input, output, total, metadata.path("cachedContentTokenCount").asLong(0), thoughts);
  }
}
