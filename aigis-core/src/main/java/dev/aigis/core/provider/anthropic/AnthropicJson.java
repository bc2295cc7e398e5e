package dev.aigis.core.provider.anthropic;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.anthropic.wire.Usage;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;

/** Shared pieces of the answer direction: the wire reader and the Anthropic-to-OpenAI mappings. */
final class AnthropicJson {

  static final String PROVIDER = "anthropic";

  /** Reads {@code wire} records: snake_case names, unknown (newer) fields ignored. Thread-safe. */
  static final ObjectMapper READER = Json.MAPPER.copy()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private AnthropicJson() {}

  /** {@code body} as a {@code type}; a JSON {@code null} is not one (Jackson would return null). */
  static <T> T read(byte[] body, Class<T> type, String what) throws TranslationException {
    try {
      return present(READER.readValue(body, type), what);
    } catch (IOException e) {
      throw invalid(what + " is not valid JSON of the expected shape");
    }
  }

  static <T> T read(String body, Class<T> type, String what) throws TranslationException {
    try {
      return present(READER.readValue(body, type), what);
    } catch (IOException e) {
      throw invalid(what + " is not valid JSON of the expected shape");
    }
  }

  private static <T> T present(T value, String what) throws TranslationException {
    if (value == null) {
      throw invalid(what + " is not valid JSON of the expected shape");
    }
    return value;
  }

  static TranslationException invalid(String detail) {
    return new TranslationException(new GatewayError.UpstreamProtocolError(PROVIDER, detail));
  }

  /**
   * {@code stop_reason} as OpenAI's {@code finish_reason}. {@code pause_turn} (a server tool's
   * long turn paused) has no OpenAI equivalent and ends the turn as {@code stop}.
   */
  static String finishReason(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence, pause_turn
    };
  }

  /** Cached prompt tokens count towards the prompt, as OpenAI counts them. */
  static TokenUsage tokenUsage(Usage usage) {
    if (usage == null) {
      return null;
    }
    long cacheRead = orZero(usage.cacheReadInputTokens());
    long cacheWrite = orZero(usage.cacheCreationInputTokens());
    long input = orZero(usage.inputTokens()) + cacheRead + cacheWrite;
    long output = orZero(usage.outputTokens());
    return new TokenUsage(input, output, input + output, cacheRead, 0, cacheWrite);
  }

  static ObjectNode usageNode(TokenUsage usage) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("prompt_tokens", usage.input());
    node.put("completion_tokens", usage.output());
    node.put("total_tokens", usage.total());
    ObjectNode details = node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInput());
    if (usage.cacheWrite() > 0) {
      details.put("cache_creation_tokens", usage.cacheWrite()); // the pivot's extension, when there were writes
    }
    return node;
  }

  /**
   * The status an in-stream {@code error} event is reported with (the stream has no status of its
   * own). Anthropic's HTTP answers use the same table except {@code overloaded_error}, which it
   * sends as the non-standard 529; in a stream that becomes 503, the standard "try again later".
   */
  static int streamErrorStatus(String type) {
    if (type == null) {
      return 502;
    }
    return switch (type) {
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "billing_error" -> 402;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      case "request_too_large" -> 413;
      case "rate_limit_error" -> 429;
      case "overloaded_error" -> 503;
      case "timeout_error" -> 504;
      default -> 502; // api_error and types added later: the upstream failed
    };
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
