package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.sse.SseEvent;

/**
 * What every native SSE decoder (OpenAI chat, Anthropic, Gemini, Responses) shares: events read
 * through a {@link NativeEventStream}, so the client gets the upstream's bytes and a broken stream
 * is recorded, not rewritten. A decoder reads each complete event in {@link #onEvent} and emits it
 * through {@link #stream}; it says what the API ends a stream with in {@link #end}.
 */
abstract class NativeEventDecoder implements ResponseDecoder {

  protected final NativeEventStream stream;

  NativeEventDecoder(int maxEventBytes) {
    this.stream = new NativeEventStream(this::onEvent, maxEventBytes);
  }

  /** One complete event, while the stream is read or (after a violation, {@code stream.unread()}) passed on. */
  abstract void onEvent(SseEvent event);

  @Override
  public void bytes(byte[] chunk, EventSink out) throws TranslationException {
    stream.feed(chunk, out);
  }

  @Override
  public String violation() {
    return stream.violation();
  }

  @Override
  public boolean events() {
    return true;
  }

  @Override
  public String contentType() {
    return null;
  }

  /**
   * The pivot chunk a backend translation makes of one event (the first or the last it emits), or
   * null when it makes none or fails: the event then passes without a pivot.
   */
  static ObjectNode pivotOf(BackendTranslator pivots, SseEvent event, boolean last) {
    if (pivots == null) {
      return null;
    }
    ObjectNode[] found = new ObjectNode[1];
    try {
      pivots.streamBytes(event.raw(), chunk -> {
        if (last || found[0] == null) {
          found[0] = chunk;
        }
      });
    } catch (TranslationException e) {
      return null;
    }
    return found[0];
  }
}
