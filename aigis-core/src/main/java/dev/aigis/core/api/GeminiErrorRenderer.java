package dev.aigis.core.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.aigis.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Google's error shape, {@code {"error":{"code":400,"message":"...","status":"INVALID_ARGUMENT"}}},
 * for clients of the Gemini API; in a stream the same object as one {@code data:} event (what
 * Google sends when a stream fails after it started).
 */
public final class GeminiErrorRenderer implements ErrorRenderer {

  public static final GeminiErrorRenderer INSTANCE = new GeminiErrorRenderer();

  private GeminiErrorRenderer() {}

  /**
   * The {@code google.rpc.Code} name Google pairs with an HTTP status: 400 INVALID_ARGUMENT, 401
   * UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 NOT_FOUND, 409 ABORTED, 429 RESOURCE_EXHAUSTED, 499
   * CANCELLED, 501 UNIMPLEMENTED, 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED; any other 4xx
   * FAILED_PRECONDITION and any other status INTERNAL.
   */
  public static String status(int httpStatus) {
    return switch (httpStatus) {
      case 400, 413 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 501 -> "UNIMPLEMENTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> httpStatus >= 400 && httpStatus < 500 ? "FAILED_PRECONDITION" : "INTERNAL";
    };
  }

  @Override
  public byte[] body(GatewayError error) {
    var out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeNumberField("code", error.status());
      g.writeStringField("message", error.message());
      g.writeStringField("status", status(error.status()));
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public byte[] streamEvent(GatewayError error) {
    return ("data: " + new String(body(error), StandardCharsets.UTF_8) + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String contentType() {
    return "application/json";
  }
}
