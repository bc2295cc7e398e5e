package dev.aigis.core.provider.bedrock;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * The AWS event-stream framing ({@code application/vnd.amazon.eventstream}) read incrementally:
 * bytes cut anywhere, each complete message's prelude and message CRC32 checked. The framing is the
 * AWS {@code eventstream} library's; this class adds a size cap and one exception type, and keeps
 * only the partial message's bytes between calls. Not thread-safe.
 */
final class EventStreamDecoder {

  /** Converse stream events are small; 1 MiB only stops a corrupt length from buffering without end. */
  static final int MAX_MESSAGE_BYTES = 1 << 20;

  /** A message that is not valid event-stream framing. */
  static final class FramingException extends Exception {
    FramingException(String message) {
      super(message, null, false, false);
    }
  }

  private final List<Message> decoded = new ArrayList<>();
  private final MessageDecoder decoder = new MessageDecoder(decoded::add);
  private final byte[] prelude = new byte[4];
  /** Bytes of the current message seen so far, and its total length once its prelude is read. */
  private long buffered;
  private long expected;

  /** Feeds bytes; returns the messages they completed, in order. */
  List<Message> feed(byte[] bytes) throws FramingException {
    checkLength(bytes);
    try {
      decoder.feed(ByteBuffer.wrap(bytes));
    } catch (RuntimeException e) {
      throw new FramingException("invalid event-stream message: " + e.getMessage());
    }
    List<Message> out = List.copyOf(decoded);
    decoded.clear();
    return out;
  }

  /** Whether bytes of an incomplete message are held. */
  boolean partial() {
    return buffered > 0;
  }

  /**
   * Tracks the total length of the message being assembled (the prelude's first four bytes) so
   * an oversized message fails before the library buffers it.
   */
  private void checkLength(byte[] bytes) throws FramingException {
    int i = 0;
    while (i < bytes.length) {
      if (buffered < 4) {
        prelude[(int) buffered] = bytes[i];
        buffered++;
        i++;
        if (buffered == 4) {
          long total = ByteBuffer.wrap(prelude).getInt() & 0xffffffffL;
          if (total > MAX_MESSAGE_BYTES || total < 16) {
            throw new FramingException("event-stream message length " + total + " is out of range");
          }
          expected = total;
        }
        continue;
      }
      long take = Math.min(expected - buffered, bytes.length - i);
      buffered += take;
      i += (int) take;
      if (buffered == expected) {
        buffered = 0;
      }
    }
  }
}
