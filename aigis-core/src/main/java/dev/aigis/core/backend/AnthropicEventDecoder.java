package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.anthropic.OpenAiToAnthropicChatTranslator;
import dev.aigis.core.sse.SseEvent;
import dev.aigis.core.usage.AnthropicUsage;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;

/**
 * A native Anthropic Messages stream, event by event: each event passes as received (so response
 * processors see whole events, not network chunks). Usage comes from {@code message_start}
 * (input, cache reads and writes) and {@code message_delta} (cumulative output); only those two
 * events are parsed. A usage event that does not parse, or a stream without {@code message_stop},
 * passes on as it came and is recorded as a {@link #violation()} ({@link NativeEventStream}).
 */
final class AnthropicEventDecoder implements ResponseDecoder {

  private final String backend;
  private final NativeEventStream stream;
  /** Translates events into pivot chunks when asked ({@link #withPivots()}); null otherwise. */
  private final BackendTranslator pivots;
  private long input;
  private long cachedInput;
  private long cacheWrite;
  private long output;
  private boolean sawUsage;
  private boolean sawStop;

  AnthropicEventDecoder(String backend) {
    this(backend, null);
  }

  private AnthropicEventDecoder(String backend, BackendTranslator pivots) {
    this.backend = backend;
    this.pivots = pivots;
    this.stream = new NativeEventStream(this::onEvent);
  }

  /** Each event's pivot is the OpenAI chunk the Anthropic-to-OpenAI stream translation makes of it. */
  @Override
  public ResponseDecoder withPivots() {
    return new AnthropicEventDecoder(backend, new OpenAiToAnthropicChatTranslator());
  }

  @Override
  public void bytes(byte[] chunk, EventSink out) {
    stream.feed(chunk, out);
  }

  private void onEvent(SseEvent event) {
    String type = event.event();
    sawStop |= "message_stop".equals(type);
    if (stream.unread()) {
      stream.emit(event.raw(), null);
      return;
    }
    if (event.data() != null && ("message_start".equals(type) || "message_delta".equals(type))) {
      readUsage(type, event.data());
    }
    stream.emit(event.raw(), stream.unread() ? null : pivotOf(event));
  }

  /**
   * The first chunk the translation makes of this event: content deltas, tool calls, the finish
   * reason and usage have one; {@code ping} and the block boundaries have none. A translation that
   * fails leaves the event without a pivot; the client still gets the event as received.
   */
  private ObjectNode pivotOf(SseEvent event) {
    if (pivots == null) {
      return null;
    }
    ObjectNode[] first = new ObjectNode[1];
    try {
      pivots.streamBytes(event.raw(), chunk -> {
        if (first[0] == null) {
          first[0] = chunk;
        }
      });
    } catch (TranslationException e) {
      return null;
    }
    return first[0];
  }

  private void readUsage(String type, String data) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(data);
    } catch (IOException e) {
      stream.violated("malformed " + type + " event");
      return;
    }
    JsonNode usage = "message_start".equals(type) ? node.path("message").path("usage") : node.path("usage");
    TokenUsage read = AnthropicUsage.from(usage);
    if (read == null) {
      return;
    }
    sawUsage = true;
    if ("message_start".equals(type) || usage.has("input_tokens")) {
      input = read.input();
      cachedInput = read.cachedInput();
      cacheWrite = read.cacheWrite();
    }
    if (usage.has("output_tokens")) {
      output = read.output(); // cumulative in message_delta
    }
  }

  @Override
  public void end(EventSink out) {
    stream.end(out, sawStop ? null : "message_stop");
  }

  @Override
  public String violation() {
    return stream.violation();
  }

  @Override
  public TokenUsage usage() {
    return sawUsage ? new TokenUsage(input, output, input + output, cachedInput, 0, cacheWrite) : null;
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
