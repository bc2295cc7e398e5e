package dev.aigis.core.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;

/**
 * The answer direction shared by plain and streamed answers: a {@code GenerateContentResponse}
 * (read as a tree: its fields are few and Google adds new ones often) to OpenAI pieces.
 */
final class GeminiJson {

  static final String PROVIDER = "gemini";

  private GeminiJson() {}

  static JsonNode read(byte[] body, String what) throws TranslationException {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw invalid(what + " is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw invalid(what + " is not valid JSON");
    }
  }

  static TranslationException invalid(String detail) {
    return new TranslationException(new GatewayError.UpstreamProtocolError(PROVIDER, detail));
  }

  /**
   * {@code finishReason} as OpenAI's: STOP stop, MAX_TOKENS length, the safety family
   * content_filter, anything else (MALFORMED_FUNCTION_CALL, OTHER, reasons added later) stop;
   * tool_calls whenever the answer holds function calls and did not end for another reason.
   */
  static String finishReason(String reason, boolean functionCalls) {
    if (reason == null) {
      return null;
    }
    return switch (reason) {
      case "MAX_TOKENS" -> "length";
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> "content_filter";
      default -> functionCalls ? "tool_calls" : "stop";
    };
  }

  /** {@code usageMetadata} as usage: {@link dev.aigis.core.usage.GeminiUsage}'s reading. */
  static TokenUsage usage(JsonNode metadata) {
    return dev.aigis.core.usage.GeminiUsage.from(metadata);
  }

  static ObjectNode usageNode(TokenUsage usage) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("prompt_tokens", usage.input());
    node.put("completion_tokens", usage.output());
    node.put("total_tokens", usage.total());
    node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInput());
    node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoning());
    return node;
  }

  /** An OpenAI tool call for a Gemini {@code functionCall}; Gemini has no call ids, so {@code call_<n>} is made up. */
  static ObjectNode toolCall(JsonNode functionCall, int n) {
    ObjectNode call = Json.MAPPER.createObjectNode().put("id", "call_" + n).put("type", "function");
    JsonNode args = functionCall.get("args");
    call.putObject("function").put("name", functionCall.path("name").asText())
        .put("arguments", args == null || args.isNull() ? "{}" : args.toString());
    return call;
  }

  /** Google's error object ({@code {"error":{"code","message","status"}}}) as a provider error, or null. */
  static GatewayError.ProviderError error(JsonNode body, int fallbackStatus) {
    JsonNode error = body == null ? null : body.get("error");
    if (error == null || !error.isObject() || !error.path("message").isTextual()) {
      return null;
    }
    int status = error.path("code").asInt(fallbackStatus);
    if (status < 400 || status > 599) {
      status = fallbackStatus;
    }
    String code = error.path("status").asText("UNKNOWN");
    return new GatewayError.ProviderError(status, type(status), code, error.path("message").asText(), PROVIDER);
  }

  /** OpenAI-style error types for Google's statuses, so OpenAI clients classify them as usual. */
  private static String type(int status) {
    return switch (status) {
      case 400, 404, 413 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 429 -> "rate_limit_error";
      default -> "api_error";
    };
  }

  static ArrayNode parts(JsonNode candidate) {
    JsonNode parts = candidate == null ? null : candidate.path("content").get("parts");
    return parts != null && parts.isArray() ? (ArrayNode) parts : Json.MAPPER.createArrayNode();
  }
}
