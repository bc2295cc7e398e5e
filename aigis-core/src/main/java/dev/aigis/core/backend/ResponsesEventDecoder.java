package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.sse.SseDecoder;
import dev.aigis.core.sse.SseEvent;
import dev.aigis.core.sse.SseException;
import dev.aigis.core.usage.ResponsesUsage;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;

/**
 * A native OpenAI Responses stream, event by event: each event passes as received. Only the
 * terminal event ({@code response.completed}, {@code response.incomplete} or
 * {@code response.failed}, which carries the whole response) is parsed, for its usage; a stream
 * that ends without one was cut. Events carry no pivot (a processor reading stream pivots sees
 * none for native Responses streams).
 */
final class ResponsesEventDecoder implements ResponseDecoder {

  /** The terminal event holds the whole response, output included; this bounds one event. */
  static final int MAX_EVENT_BYTES = 8 << 20;

  private final String backend;
  private final SseDecoder decoder = new SseDecoder(this::onEvent, MAX_EVENT_BYTES);
  private EventSink sink;
  private TokenUsage usage;
  private boolean sawEnd;

  ResponsesEventDecoder(String backend) {
    this.backend = backend;
  }

  @Override
  public void bytes(byte[] chunk, EventSink out) throws TranslationException {
    sink = out;
    try {
      decoder.feed(chunk);
    } catch (SseException e) {
      throw new TranslationException(new GatewayError.UpstreamProtocolError(backend, e.getMessage()));
    }
  }

  private void onEvent(SseEvent event) {
    if (event.data() != null && terminal(event)) {
      sawEnd = true;
      try {
        JsonNode data = Json.MAPPER.readTree(event.data());
        TokenUsage read = ResponsesUsage.from(data.path("response").get("usage"));
        if (read != null) {
          usage = read;
        }
      } catch (IOException e) {
        // passed on as received; the client's SDK reports it
      }
    }
    sink.emit(event.raw(), null);
  }

  /** By the {@code event:} line OpenAI sends, else (a server that omits it) by the data's type. */
  private static boolean terminal(SseEvent event) {
    String name = event.event();
    if (name != null) {
      return name.equals("response.completed") || name.equals("response.incomplete") || name.equals("response.failed");
    }
    String data = event.data();
    return data.contains("\"response.completed\"") || data.contains("\"response.incomplete\"")
        || data.contains("\"response.failed\"");
  }

  @Override
  public void end(EventSink out) throws TranslationException {
    if (!sawEnd) {
      throw new TranslationException(new GatewayError.UpstreamProtocolError(backend,
          "stream ended before response.completed"));
    }
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  @Override
  public boolean events() {
    return true;
  }

  @Override
  public String contentType() {
    return null;
  }
}
