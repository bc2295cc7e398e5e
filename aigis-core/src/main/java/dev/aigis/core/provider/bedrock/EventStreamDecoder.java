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

  /**
   * A message that is not valid event-stream framing. {@code before} holds the messages the same
   * bytes completed ahead of it: the stream's order of events and problems does not depend on
   * how it was cut.
   */
  static final class FramingException extends Exception {
    private final transient List<Message> before;

    FramingException(String message, List<Message> before) {
      super(message, null, false, false);
      this.before = List.copyOf(before);
    }

    List<Message> before() {
      return before;
    }
  }

  private final List<Message> decoded = new ArrayList<>();
  private final MessageDecoder decoder = new MessageDecoder(decoded::add);
  private final byte[] prelude = new byte[4];
  /** Bytes of the current message seen so far, and its total length once its prelude is read. */
  private long buffered;
  private long expected;

  /**
   * Feeds bytes; returns the messages they completed, in order. A stream's first problem is the
   * one reported, however it was cut: bytes before a frame that declares an out-of-range length
   * reach the library first, so a bad checksum earlier in the same chunk is not hidden by it, and
   * the messages completed before a problem travel with it.
   */
  List<Message> feed(byte[] bytes) throws FramingException {
    Scan scan = scan(bytes);
    try {
      decoder.feed(ByteBuffer.wrap(bytes, 0, scan.usable()));
    } catch (RuntimeException e) {
      throw new FramingException("invalid event-stream message: " + e.getMessage(), completed());
    }
    if (scan.refusal() != null) {
      throw new FramingException(scan.refusal(), completed());
    }
    return completed();
  }

  private List<Message> completed() {
    List<Message> out = List.copyOf(decoded);
    decoded.clear();
    return out;
  }

  /** Whether bytes of an incomplete message are held. */
  boolean partial() {
    return buffered > 0;
  }

  /**
   * How many of {@code bytes} belong to frames of acceptable length, and why the rest is refused.
   * {@code usable} is all of them, or where the first frame with an out-of-range length starts (0
   * when it started in an earlier chunk).
   */
  private record Scan(int usable, String refusal) {}

  /**
   * Tracks the total length of the message being assembled (the prelude's first four bytes) so
   * an oversized message fails before the library buffers it.
   */
  private Scan scan(byte[] bytes) {
    int i = 0;
    int frameStart = 0;
    while (i < bytes.length) {
      if (buffered < 4) {
        if (buffered == 0) {
          frameStart = i;
        }
        prelude[(int) buffered] = bytes[i];
        buffered++;
        i++;
        if (buffered == 4) {
          long total = ByteBuffer.wrap(prelude).getInt() & 0xffffffffL;
          if (total > MAX_MESSAGE_BYTES || total < 16) {
            return new Scan(frameStart, "event-stream message length " + total + " is out of range");
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
    return new Scan(bytes.length, null);
  }
}
