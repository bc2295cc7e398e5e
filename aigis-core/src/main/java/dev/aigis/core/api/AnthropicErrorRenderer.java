package dev.aigis.core.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.aigis.core.json.Json;
import dev.aigis.core.sse.SseEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Anthropic's error shape: {@code {"type":"error","error":{"type":...,"message":...}}}, and in a
 * stream the same object as an {@code event: error} SSE event.
 *
 * <p>Anthropic's error {@code type} follows the HTTP status (see {@link #errorType}); the gateway's
 * own code stays out of the body because Anthropic clients do not read one.
 */
public final class AnthropicErrorRenderer implements ErrorRenderer {

  public static final AnthropicErrorRenderer INSTANCE = new AnthropicErrorRenderer();

  private AnthropicErrorRenderer() {}

  /**
   * Anthropic's error type for a status: 400 invalid_request_error, 401 authentication_error,
   * 402 billing_error, 403 permission_error, 404 not_found_error, 413 request_too_large,
   * 429 rate_limit_error, 504 timeout_error, 503 and 529 overloaded_error; any other 4xx is
   * invalid_request_error and any other status api_error.
   */
  public static String errorType(GatewayError error) {
    int status = error.status();
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
    };
  }

  @Override
  public byte[] body(GatewayError error) {
    var out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", "error");
      g.writeObjectFieldStart("error");
      g.writeStringField("type", errorType(error));
      g.writeStringField("message", error.message());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public byte[] streamEvent(GatewayError error) {
    return SseEncoder.event("error", new String(body(error), StandardCharsets.UTF_8));
  }

  @Override
  public String contentType() {
    return "application/json";
  }
}
