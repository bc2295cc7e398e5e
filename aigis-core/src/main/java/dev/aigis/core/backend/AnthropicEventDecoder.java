package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendTranslator;
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
final class AnthropicEventDecoder extends NativeEventDecoder {

  private final String backend;
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
    super(OpenAiEventDecoder.MAX_EVENT_BYTES);
    this.backend = backend;
    this.pivots = pivots;
  }

  /** Each event's pivot is the OpenAI chunk the Anthropic-to-OpenAI stream translation makes of it. */
  @Override
  public ResponseDecoder withPivots() {
    return new AnthropicEventDecoder(backend, new OpenAiToAnthropicChatTranslator());
  }

  @Override
  void onEvent(SseEvent event) {
    String type = event.event();
    sawStop |= "message_stop".equals(type);
    if (stream.unread()) {
      stream.emit(event.raw(), null);
      return;
    }
    if (event.data() != null && ("message_start".equals(type) || "message_delta".equals(type))) {
      readUsage(type, event.data());
    }
    // The first chunk the translation makes of it: content deltas, tool calls, the finish reason and
    // usage have one; ping and the block boundaries have none.
    stream.emit(event.raw(), stream.unread() ? null : pivotOf(pivots, event, false));
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
  public TokenUsage usage() {
    return sawUsage ? new TokenUsage(input, output, input + output, cachedInput, 0, cacheWrite) : null;
  }
}
