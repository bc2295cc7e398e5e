package dev.aigis.core.sse;

/** A stream that breaks the event-stream format or Aigis's limits on it. */
public final class SseException extends RuntimeException {

  private final int unread;

  public SseException(String message) {
    this(message, -1);
  }

  /** @param unread the index of the first byte of the fed chunk the decoder did not take, or -1 */
  public SseException(String message, int unread) {
    super(message);
    this.unread = unread;
  }

  /** The index of the first byte of the fed chunk the decoder did not take, or -1 when unknown. */
  public int unread() {
    return unread;
  }
}
