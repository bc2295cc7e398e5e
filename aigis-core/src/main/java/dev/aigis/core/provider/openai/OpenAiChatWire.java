package dev.aigis.core.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import java.io.IOException;

/**
 * OpenAI chat wire rules shared by every backend that speaks it (OpenAI and the compatible
 * servers, Azure OpenAI): the request body for a call, the check of a completion, and the reading
 * of error objects. Stateless.
 */
public final class OpenAiChatWire {

  private OpenAiChatWire() {}

  /**
   * A copy of the pivot as the body to send. Streaming sets {@code stream: true} and asks for the
   * usage chunk ({@code stream_options.include_usage}, other stream options kept); a plain call
   * drops both, since OpenAI refuses {@code stream_options} without {@code stream}.
   */
  public static ObjectNode requestBody(ObjectNode pivot, boolean stream) {
    ObjectNode body = pivot.deepCopy();
    if (stream) {
      body.put("stream", true);
      JsonNode options = body.get("stream_options");
      ObjectNode streamOptions = options instanceof ObjectNode o ? o : body.putObject("stream_options");
      streamOptions.put("include_usage", true);
    } else {
      body.remove("stream");
      body.remove("stream_options");
    }
    return body;
  }

  public static byte[] bytes(ObjectNode body) {
    try {
      return Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  /** A 2xx body that must be a {@code chat.completion}; anything else is a 502. */
  public static ObjectNode completion(byte[] body, String provider) throws TranslationException {
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw invalid(provider, "response is not valid JSON");
    }
    if (!(tree instanceof ObjectNode completion)
        || !"chat.completion".equals(completion.path("object").asText(null))
        || !completion.path("choices").isArray()) {
      throw invalid(provider, "response is not a chat.completion");
    }
    return completion;
  }

  /**
   * A non-2xx answer: OpenAI-shaped {@code {"error":{"message","type","code"}}} (or a bare
   * {@code {"message":...}} as API gateways in front of Azure send) keeps its fields under the
   * upstream's status; any other body becomes {@link GatewayError.UpstreamStatus}.
   */
  public static GatewayError error(int status, byte[] body, String provider) {
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      tree = null;
    }
    JsonNode error = tree == null ? null : tree.get("error");
    if (error != null && error.isTextual()) {
      return new GatewayError.ProviderError(status, defaultType(status), "upstream_error", error.asText(), provider);
    }
    JsonNode fields = error != null && error.isObject() ? error : tree;
    if (fields == null || !fields.isObject() || !fields.path("message").isTextual()) {
      return new GatewayError.UpstreamStatus(provider, status);
    }
    return providerError(status, fields, provider);
  }

  /** An error object's fields; missing type and code get defaults fitting the status. */
  public static GatewayError.ProviderError providerError(int status, JsonNode error, String provider) {
    String type = text(error.get("type"));
    String code = text(error.get("code"));
    String message = text(error.get("message"));
    return new GatewayError.ProviderError(status,
        type != null ? type : defaultType(status),
        code != null ? code : "upstream_error",
        message != null ? message : provider + " answered HTTP " + status,
        provider);
  }

  public static TranslationException invalid(String provider, String detail) {
    return new TranslationException(new GatewayError.UpstreamProtocolError(provider, detail));
  }

  /** OpenAI's error types by status, for providers (Azure) that send none. */
  static String defaultType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }

  /** Strings as they are, numbers (vLLM sends {@code "code":400}) as text, null and blanks as null. */
  private static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isContainerNode()) {
      return null;
    }
    String text = node.asText();
    return text.isBlank() ? null : text;
  }
}
