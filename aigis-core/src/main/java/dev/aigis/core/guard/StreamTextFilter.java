package dev.aigis.core.guard;

import java.util.List;

/**
 * A filter over the text of a streamed answer, delta by delta (one delta per SSE event that
 * carries text). It may hold deltas back while it needs more text to decide (an entity split across
 * events, a stretch not yet classified) and releases them later, in order, one output string per
 * input delta (possibly changed or empty), so the caller can rewrite each held event with its own
 * released text. Per exchange, not thread-safe; calls may block on CPU work (run off the event loop).
 */
public interface StreamTextFilter {

  /** Adds the next delta; returns the deltas that may go out now (the oldest held first). */
  Release push(String delta);

  /** The stream ended: releases everything still held. */
  Release finish();

  /**
   * @param texts released deltas in input order, one per input delta released
   * @param blocked non-null when the stream must stop: nothing more is released, and the caller
   *     ends the stream with an error event; the reason names a category or entity type, never text
   */
  record Release(List<String> texts, String blocked) {
    public static final Release NONE = new Release(List.of(), null);

    public Release {
      texts = List.copyOf(texts);
    }

    public static Release of(List<String> texts) {
      return new Release(texts, null);
    }

    public static Release block(String reason) {
      return new Release(List.of(), reason);
    }
  }
}
