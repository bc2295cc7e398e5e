package dev.aigis.core.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental SSE decoder (WHATWG event-stream rules): feed it chunks cut anywhere, it emits each
 * complete event block once. It keeps only the bytes of the block being read, bounded by
 * {@code maxEventBytes}, so memory stays flat whatever the stream length.
 *
 * <p>Not thread-safe: one decoder per stream, driven from that stream's event loop.
 */
public final class SseDecoder {

  private final Consumer<SseEvent> sink;
  private final int maxEventBytes;
  private byte[] block = new byte[1024];
  private int blockLength;
  private int lineStart;
  private boolean previousWasCarriageReturn;
  private String eventName;
  private StringBuilder data;
  private String id;

  public SseDecoder(Consumer<SseEvent> sink, int maxEventBytes) {
    this.sink = sink;
    this.maxEventBytes = maxEventBytes;
  }

  public void feed(byte[] chunk) {
    feed(chunk, 0, chunk.length);
  }

  /**
   * @throws SseException when a single event grows past the limit; its {@link SseException#unread()}
   *     is the index in {@code chunk} of the first byte not taken, and {@link #takePending()} gives
   *     the event's bytes taken so far, so a caller can pass the rest on unparsed
   */
  public void feed(byte[] chunk, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = chunk[i];
      if (blockLength >= maxEventBytes) {
        throw new SseException("SSE event larger than " + maxEventBytes + " bytes", i);
      }
      if (previousWasCarriageReturn && b == '\n') {
        previousWasCarriageReturn = false;
        append(b);
        lineStart = blockLength;
        continue;
      }
      previousWasCarriageReturn = b == '\r';
      append(b);
      if (b == '\n' || b == '\r') {
        endOfLine(blockLength - 1);
      }
    }
  }

  /** Bytes of an unfinished event still held, e.g. to detect a stream truncated mid-event. */
  public int pendingBytes() {
    return blockLength;
  }

  /**
   * The bytes of the unfinished event, as received, and forgets them: for a caller that stops
   * parsing (the stream broke its format) and passes everything on as it came.
   */
  public byte[] takePending() {
    byte[] pending = Arrays.copyOf(block, blockLength);
    blockLength = 0;
    lineStart = 0;
    eventName = null;
    data = null;
    id = null;
    previousWasCarriageReturn = false;
    return pending;
  }

  private void append(byte b) {
    if (blockLength == block.length) {
      block = Arrays.copyOf(block, Math.min(maxEventBytes, block.length * 2));
    }
    block[blockLength++] = b;
  }

  private void endOfLine(int lineEnd) {
    int start = lineStart;
    lineStart = blockLength;
    if (lineEnd == start) {
      dispatch();
      return;
    }
    if (block[start] == ':') {
      return; // comment
    }
    int colon = -1;
    for (int i = start; i < lineEnd; i++) {
      if (block[i] == ':') {
        colon = i;
        break;
      }
    }
    String field;
    String value;
    if (colon < 0) {
      field = new String(block, start, lineEnd - start, StandardCharsets.UTF_8);
      value = "";
    } else {
      field = new String(block, start, colon - start, StandardCharsets.US_ASCII);
      int valueStart = colon + 1;
      if (valueStart < lineEnd && block[valueStart] == ' ') {
        valueStart++;
      }
      value = new String(block, valueStart, lineEnd - valueStart, StandardCharsets.UTF_8);
    }
    switch (field) {
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value.length());
        } else {
          data.append('\n');
        }
        data.append(value);
      }
      case "event" -> eventName = value;
      case "id" -> id = value;
      default -> { } // "retry" and unknown fields are kept in raw only
    }
  }

  private void dispatch() {
    byte[] raw = Arrays.copyOf(block, blockLength);
    SseEvent event = new SseEvent(eventName, data == null ? null : data.toString(), id, raw);
    blockLength = 0;
    lineStart = 0;
    eventName = null;
    data = null;
    id = null;
    if (block.length > 4096) {
      block = new byte[1024]; // give back memory a large event took
    }
    sink.accept(event);
  }
}
