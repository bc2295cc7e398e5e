package dev.aigis.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.sse.SseEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Errors for OpenAI Responses API clients ({@code /v1/responses}). A whole body is OpenAI's
 * {@code {"error":{...}}}, as for every OpenAI endpoint. An error after a stream began is a
 * {@code response.failed} event whose {@code response.error} holds the code and message, which is
 * what Responses clients such as Codex CLI read to show a failure (an event without a
 * {@code type} they skip, then retry a stream that seems merely cut); the event also carries
 * OpenAI's {@code error} object at its top level, which the official SDKs raise as an error. The
 * renderer holds no stream state, so the event has no {@code sequence_number} and its response no
 * id: clients read the error, not those.
 */
public final class ResponsesErrorRenderer implements ErrorRenderer {

  public static final ResponsesErrorRenderer INSTANCE = new ResponsesErrorRenderer();

  private ResponsesErrorRenderer() {}

  @Override
  public byte[] body(GatewayError error) {
    return OpenAiErrorRenderer.INSTANCE.body(error);
  }

  @Override
  public byte[] streamEvent(GatewayError error) {
    JsonNode openAi;
    try {
      openAi = Json.MAPPER.readTree(body(error)).get("error");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode event = Json.MAPPER.createObjectNode().put("type", "response.failed");
    ObjectNode response = event.putObject("response").put("object", "response").put("status", "failed");
    response.putObject("error").put("code", error.code()).put("message", error.message());
    response.putNull("incomplete_details");
    response.putArray("output");
    event.set("error", openAi);
    try {
      return SseEncoder.event("response.failed", Json.MAPPER.writeValueAsString(event));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String contentType() {
    return OpenAiErrorRenderer.INSTANCE.contentType();
  }
}
