package dev.aigis.core.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import java.io.IOException;

/**
 * Reads the OpenAI Responses API's {@code usage} ({@code input_tokens},
 * {@code input_tokens_details.cached_tokens}, {@code output_tokens},
 * {@code output_tokens_details.reasoning_tokens}, {@code total_tokens}) into {@link TokenUsage}.
 */
public final class ResponsesUsage {

  private ResponsesUsage() {}

  /** For {@link UsageTail}: the usage object the parser stands at, read as a tree (it is small). */
  public static TokenUsage read(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    return from(Json.MAPPER.readTree(p));
  }

  /** Returns null when {@code usage} is absent or not an object. */
  public static TokenUsage from(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long input = usage.path("input_tokens").asLong(0);
    long output = usage.path("output_tokens").asLong(0);
    long total = usage.has("total_tokens") ? usage.path("total_tokens").asLong(0) : input + output;
    return new TokenUsage(input, output, total, usage.path("input_tokens_details").path("cached_tokens").asLong(0),
        usage.path("output_tokens_details").path("reasoning_tokens").asLong(0));
  }
}
