package dev.aigis.core.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/** Shared pieces of the answer direction: parsing, Converse-to-OpenAI mappings, error statuses. */
final class BedrockJson {

  /** The provider name in errors and logs. */
  static final String PROVIDER = "aws.bedrock";

  private BedrockJson() {}

  static ObjectNode object(byte[] body, String what) throws TranslationException {
    try {
      if (Json.MAPPER.readTree(body) instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // reported below
    }
    throw invalid(what + " is not a JSON object");
  }

  static TranslationException invalid(String detail) {
    return new TranslationException(new GatewayError.UpstreamProtocolError(PROVIDER, detail));
  }

  /** {@code stopReason} as OpenAI's {@code finish_reason}. */
  static String finishReason(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "content_filtered", "guardrail_intervened" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence
    };
  }

  /**
   * Converse {@code usage}. Bedrock's {@code inputTokens} leaves out cache reads and writes; OpenAI
   * counts them in the prompt, so they are added, with the reads as {@code cached_tokens} and the
   * writes as the pivot's {@code cache_creation_tokens}.
   */
  static TokenUsage usage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long cacheRead = usage.path("cacheReadInputTokens").asLong(0);
    long cacheWrite = usage.path("cacheWriteInputTokens").asLong(0);
    long input = usage.path("inputTokens").asLong(0) + cacheRead + cacheWrite;
    long output = usage.path("outputTokens").asLong(0);
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
   * Throws what an event-stream {@code exception} or {@code error} message reports, as a provider
   * error in the client's format: the exception type is the code, its status {@link
   * #streamExceptionStatus}; Converse and InvokeModel streams report failures alike.
   */
  static void throwIfFailure(Message message) throws TranslationException {
    String messageType = header(message, ":message-type");
    if ("exception".equals(messageType)) {
      String type = header(message, ":exception-type");
      String text = payloadMessage(message);
      throw new TranslationException(new GatewayError.ProviderError(
          streamExceptionStatus(type), errorType(streamExceptionStatus(type)),
          type == null ? "upstream_error" : type,
          text == null ? "The upstream stream failed" : text, PROVIDER));
    }
    if ("error".equals(messageType)) {
      String code = header(message, ":error-code");
      String text = header(message, ":error-message");
      throw new TranslationException(new GatewayError.ProviderError(502, "server_error",
          code == null ? "upstream_error" : code, text == null ? "The upstream stream failed" : text,
          PROVIDER));
    }
  }

  static String header(Message message, String name) {
    HeaderValue value = message.getHeaders().get(name);
    try {
      return value == null ? null : value.getString();
    } catch (RuntimeException e) {
      return null; // not a string header
    }
  }

  private static String payloadMessage(Message message) {
    try {
      JsonNode node = Json.MAPPER.readTree(message.getPayload());
      JsonNode text = node == null ? null : node.get("message");
      if (text == null) {
        text = node == null ? null : node.get("Message");
      }
      return text != null && text.isTextual() ? text.asText() : null;
    } catch (IOException e) {
      return null; // not JSON: the message is left out rather than relayed raw
    }
  }

  /**
   * The status of an exception message inside a stream, which has no status of its own:
   * throttling 429, service unavailable 503, validation 400, internal server 500, and anything else
   * (modelStreamErrorException, newer types) 502, the upstream having failed.
   */
  static int streamExceptionStatus(String exceptionType) {
    if (exceptionType == null) {
      return 502;
    }
    return switch (exceptionType) {
      case "throttlingException" -> 429;
      case "serviceUnavailableException" -> 503;
      case "validationException" -> 400;
      case "internalServerException" -> 500;
      case "modelTimeoutException" -> 504;
      default -> 502;
    };
  }

  /** OpenAI's error types by status. */
  static String errorType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }
}
