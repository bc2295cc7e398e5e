package dev.aigis.core.backend;

import dev.aigis.core.sse.SseDecoder;
import dev.aigis.core.sse.SseEvent;
import dev.aigis.core.sse.SseException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The rule every native (same API on both sides) stream decoder follows: passthrough means
 * passthrough. Events are read one by one to take usage and pivots from them, but the client gets
 * the upstream's bytes as they came. When the upstream breaks its API's promise (an event that does
 * not parse, an event past the size limit, text that is not an event stream, no terminal event),
 * the stream stops being read and everything, from the first byte not yet passed on, goes to the
 * client unchanged; the violation is kept for the front door to count and log, never turned into a
 * gateway error written into the stream.
 */
final class NativeEventStream {

  private final SseDecoder decoder;
  private EventSink sink;
  private String violation;
  private boolean raw;

  /** @param onEvent reads each complete event and emits it (through {@link #emit}) while the stream is read */
  NativeEventStream(Consumer<SseEvent> onEvent) {
    this(onEvent, OpenAiEventDecoder.MAX_EVENT_BYTES);
  }

  /** @param maxEventBytes the largest event read; a larger one breaks the stream's format */
  NativeEventStream(Consumer<SseEvent> onEvent, int maxEventBytes) {
    this.decoder = new SseDecoder(onEvent, maxEventBytes);
  }

  /** Feeds bytes cut anywhere; after a violation they go straight to {@code out}. */
  void feed(byte[] chunk, EventSink out) {
    sink = out;
    if (raw) {
      emitPending(); // the unfinished event the decoder held when the stream broke
      out.emit(chunk, null);
      return;
    }
    try {
      decoder.feed(chunk);
    } catch (SseException e) {
      violated(e.getMessage());
      emitPending();
      int unread = e.unread() < 0 ? chunk.length : e.unread();
      if (unread < chunk.length) {
        out.emit(Arrays.copyOfRange(chunk, unread, chunk.length), null);
      }
    }
  }

  /** Emits one event read while the stream is well-formed. */
  void emit(byte[] bytes, com.fasterxml.jackson.databind.node.ObjectNode pivot) {
    sink.emit(bytes, pivot);
  }

  /**
   * The upstream broke the API's promise: the rest of the stream passes unread. The event being
   * handled is still emitted by the caller as received.
   */
  void violated(String what) {
    if (violation == null) {
      violation = what;
    }
    raw = true;
  }

  /** Whether the stream is no longer read (events after a violation pass as received). */
  boolean unread() {
    return raw;
  }

  /**
   * The upstream ended: bytes of an unfinished event (or text that never was one) go on as they
   * came, and a stream without its terminal event is a violation.
   *
   * @param terminal what the API ends a stream with, for the record, or null when it was seen
   */
  void end(EventSink out, String terminal) {
    sink = out;
    byte[] pending = decoder.takePending();
    if (pending.length > 0) {
      // The LF of a final CRLF is held as the start of a next line; only other bytes are an unfinished event.
      if (!lineBreaksOnly(pending)) {
        violated("stream ended mid-event");
      }
      out.emit(pending, null);
    }
    if (terminal != null && violation == null) {
      violation = "stream ended before " + terminal;
    }
  }

  private static boolean lineBreaksOnly(byte[] bytes) {
    for (byte b : bytes) {
      if (b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  private void emitPending() {
    byte[] pending = decoder.takePending();
    if (pending.length > 0) {
      sink.emit(pending, null);
    }
  }

  /** What the upstream broke, or null. */
  String violation() {
    return violation;
  }
}
