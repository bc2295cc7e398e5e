package dev.aigis.core.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.aigis.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** OpenAI's error shape: {@code {"error":{"message":...,"type":...,"param":...,"code":...}}}. */
public final class OpenAiErrorRenderer implements ErrorRenderer {

  public static final OpenAiErrorRenderer INSTANCE = new OpenAiErrorRenderer();

  private OpenAiErrorRenderer() {}

  @Override
  public byte[] body(GatewayError error) {
    var out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeStringField("message", error.message());
      g.writeStringField("type", error.type());
      if (error instanceof GatewayError.InvalidRequest invalid && invalid.param() != null) {
        g.writeStringField("param", invalid.param());
      } else {
        g.writeNullField("param");
      }
      g.writeStringField("code", error.code());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public byte[] streamEvent(GatewayError error) {
    String body = new String(body(error), StandardCharsets.UTF_8);
    return ("data: " + body + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String contentType() {
    return "application/json";
  }
}
