package dev.aigis.core.usage;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads OpenAI's {@code usage} object (chat, completions, embeddings) into {@link TokenUsage}. */
public final class OpenAiUsage {

  private OpenAiUsage() {}

  /**
   * Reads a usage object from a parser positioned on its {@code START_OBJECT}, without building a
   * tree; leaves the parser on the matching {@code END_OBJECT}.
   */
  public static TokenUsage read(com.fasterxml.jackson.core.JsonParser p) throws java.io.IOException {
    long input = 0;
    long output = 0;
    long total = -1;
    long[] cached = new long[2];
    long reasoning = 0;
    while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
      String field = p.currentName();
      com.fasterxml.jackson.core.JsonToken value = p.nextToken();
      switch (field) {
        case "prompt_tokens" -> input = p.getValueAsLong(0);
        case "completion_tokens" -> output = p.getValueAsLong(0);
        case "total_tokens" -> total = p.getValueAsLong(-1);
        case "prompt_tokens_details" -> cached = promptDetails(p, value);
        case "completion_tokens_details" -> reasoning = detail(p, value, "reasoning_tokens");
        default -> p.skipChildren();
      }
    }
    return new TokenUsage(input, output, total < 0 ? input + output : total, cached[0], reasoning, cached[1]);
  }

  /** {@code cached_tokens} and the Aigis extension {@code cache_creation_tokens}. */
  private static long[] promptDetails(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken value)
      throws java.io.IOException {
    long[] found = new long[2];
    if (value != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
      p.skipChildren();
      return found;
    }
    while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "cached_tokens" -> found[0] = p.getValueAsLong(0);
        case "cache_creation_tokens" -> found[1] = p.getValueAsLong(0);
        default -> p.skipChildren();
      }
    }
    return found;
  }

  private static long detail(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken value, String name)
      throws java.io.IOException {
    if (value != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
      p.skipChildren();
      return 0;
    }
    long found = 0;
    while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (name.equals(field)) {
        found = p.getValueAsLong(0);
      } else {
        p.skipChildren();
      }
    }
    return found;
  }

  /** Returns null when {@code usage} is absent or not an object. */
  public static TokenUsage from(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long input = usage.path("prompt_tokens").asLong(0);
    long output = usage.path("completion_tokens").asLong(0);
    long total = usage.has("total_tokens") ? usage.path("total_tokens").asLong(0) : input + output;
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    long cacheWrite = usage.path("prompt_tokens_details").path("cache_creation_tokens").asLong(0);
    long reasoning = usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0);
    return new TokenUsage(input, output, total, cached, reasoning, cacheWrite);
  }
}
