package dev.aigis.core.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.ErrorRenderer;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.api.OpenAiErrorRenderer;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.sse.SseEncoder;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The identity codec for OpenAI chat clients: the pivot is their format, so requests and answers
 * pass unchanged and only the SSE framing ({@code data:} lines, {@code [DONE]}) is added. Holds no
 * state; one instance per request like every codec.
 */
public final class OpenAiInboundCodec implements InboundCodec {

  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  @Override
  public InboundApi api() {
    return InboundApi.OpenAI;
  }

  /** A copy of the request, so later rewrites of the pivot never touch the client's tree. */
  @Override
  public ObjectNode toPivot(JsonNode clientRequest) throws TranslationException {
    if (!(clientRequest instanceof ObjectNode request)) {
      throw new TranslationException(new GatewayError.InvalidRequest("Request body must be a JSON object", null));
    }
    return request.deepCopy();
  }

  @Override
  public byte[] fromPivot(ObjectNode openAiResponse) {
    try {
      return Json.MAPPER.writeValueAsBytes(openAiResponse);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void pivotChunk(ObjectNode openAiChunk, Consumer<byte[]> events) {
    try {
      events.accept(SseEncoder.data(Json.MAPPER.writeValueAsString(openAiChunk)));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void pivotEnd(Consumer<byte[]> events) {
    events.accept(DONE.clone());
  }

  @Override
  public ErrorRenderer errors() {
    return OpenAiErrorRenderer.INSTANCE;
  }
}
