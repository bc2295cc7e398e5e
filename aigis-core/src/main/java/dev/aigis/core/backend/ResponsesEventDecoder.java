package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.sse.SseEvent;
import dev.aigis.core.usage.ResponsesUsage;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;

/**
 * A native OpenAI Responses stream, event by event: each event passes as received, errors
 * ({@code response.failed}, {@code error}) included, since they already are in the client's API.
 * Only the terminal event ({@code response.completed}, {@code response.incomplete} or
 * {@code response.failed}, which carries the whole response) is parsed, for its usage. A terminal
 * event that does not parse, or a stream without one, passes on as it came and is recorded as a
 * {@link #violation()} ({@link NativeEventStream}). Events carry no pivot: response processors
 * that read stream pivots see none for native Responses streams.
 */
final class ResponsesEventDecoder extends NativeEventDecoder {

  private TokenUsage usage;
  private boolean sawEnd;

  ResponsesEventDecoder() {
    super(OpenAiEventDecoder.MAX_EVENT_BYTES);
  }

  @Override
  void onEvent(SseEvent event) {
    if (!stream.unread() && event.data() != null && terminal(event)) {
      sawEnd = true;
      try {
        JsonNode data = Json.MAPPER.readTree(event.data());
        TokenUsage read = ResponsesUsage.from(data.path("response").get("usage"));
        if (read != null) {
          usage = read;
        }
      } catch (IOException e) {
        stream.violated("malformed " + event.event() + " event");
      }
    }
    stream.emit(event.raw(), null);
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
  public void end(EventSink out) {
    stream.end(out, sawEnd ? null : "response.completed");
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }
}
