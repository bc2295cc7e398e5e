package dev.aigis.core.sse;

/** A stream that breaks the event-stream format or Aigis's limits on it. */
public final class SseException extends RuntimeException {
  public SseException(String message) {
    super(message);
  }
}
