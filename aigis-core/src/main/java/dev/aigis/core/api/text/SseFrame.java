package dev.aigis.core.api.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where the data of one SSE event sits in its raw bytes, so the event's JSON can be read in place
 * and a string inside it replaced while every framing byte (field lines, {@code id:}, comments,
 * line ends, the terminating blank line) stays as it came.
 *
 * <p>{@code data} holds the event's data: the raw bytes themselves when the event has one data line
 * (the common case, no copy), else the data lines joined with {@code \n}. Positions in
 * {@code data} map back to raw positions with {@link #rawPosition}.
 *
 * @param eventName the {@code event:} value, or null
 * @param segmentStarts raw start of each data line's value
 * @param segmentLengths length of each data line's value
 */
record SseFrame(String eventName, int[] segmentStarts, int[] segmentLengths, byte[] data, int dataOffset,
    int dataLength) {

  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

  /**
   * Reads one event block as {@code SseDecoder} hands it out: lines ended by LF, CRLF or CR, a
   * leading LF left over from the previous block's CRLF, the blank line at the end (or none, for
   * the last event of a cut stream). Returns null when the bytes hold a second event after the
   * first blank line: that is not one event, and guessing which one to edit would be wrong.
   */
  static SseFrame parse(byte[] raw) {
    String eventName = null;
    int[] starts = new int[1];
    int[] lengths = new int[1];
    int segments = 0;
    boolean sawLine = false;
    boolean ended = false;
    int i = 0;
    int n = raw.length;
    while (i < n) {
      int lineStart = i;
      while (i < n && raw[i] != '\n' && raw[i] != '\r') {
        i++;
      }
      int lineEnd = i;
      if (i < n) {
        i += raw[i] == '\r' && i + 1 < n && raw[i + 1] == '\n' ? 2 : 1;
      }
      if (lineEnd == lineStart) {
        ended |= sawLine;
        continue;
      }
      if (ended) {
        return null;
      }
      sawLine = true;
      if (raw[lineStart] == ':') {
        continue; // comment
      }
      int colon = indexOf(raw, (byte) ':', lineStart, lineEnd);
      int nameEnd = colon < 0 ? lineEnd : colon;
      int valueStart = colon < 0 ? lineEnd : colon + 1;
      if (valueStart < lineEnd && raw[valueStart] == ' ') {
        valueStart++;
      }
      if (is(raw, lineStart, nameEnd, "data")) {
        if (segments == starts.length) {
          starts = Arrays.copyOf(starts, segments * 2);
          lengths = Arrays.copyOf(lengths, segments * 2);
        }
        starts[segments] = valueStart;
        lengths[segments] = lineEnd - valueStart;
        segments++;
      } else if (is(raw, lineStart, nameEnd, "event")) {
        eventName = new String(raw, valueStart, lineEnd - valueStart, StandardCharsets.UTF_8);
      }
    }
    if (segments == 0) {
      return new SseFrame(eventName, new int[0], new int[0], null, 0, 0);
    }
    if (segments == 1) {
      return new SseFrame(eventName, new int[] {starts[0]}, new int[] {lengths[0]}, raw, starts[0], lengths[0]);
    }
    starts = Arrays.copyOf(starts, segments);
    lengths = Arrays.copyOf(lengths, segments);
    int total = segments - 1;
    for (int length : lengths) {
      total += length;
    }
    byte[] joined = new byte[total];
    int at = 0;
    for (int s = 0; s < segments; s++) {
      if (s > 0) {
        joined[at++] = '\n';
      }
      System.arraycopy(raw, starts[s], joined, at, lengths[s]);
      at += lengths[s];
    }
    return new SseFrame(eventName, starts, lengths, joined, 0, total);
  }

  /** Whether the event has data lines at all (a comment-only keep-alive has none). */
  boolean hasData() {
    return data != null;
  }

  /** OpenAI's end-of-stream sentinel. */
  boolean isDone() {
    return dataLength == DONE.length && Arrays.equals(data, dataOffset, dataOffset + dataLength, DONE, 0, DONE.length);
  }

  /**
   * The raw position of a position in {@link #data}. Only meaningful inside a data line's value,
   * which is where JSON strings are: a JSON string cannot span the newline that joins two lines.
   */
  int rawPosition(int dataPosition) {
    if (segmentStarts.length == 1) {
      return dataPosition; // data is raw
    }
    int at = dataPosition;
    for (int s = 0; s < segmentStarts.length; s++) {
      if (at <= segmentLengths[s]) {
        return segmentStarts[s] + at;
      }
      at -= segmentLengths[s] + 1;
    }
    throw new IllegalArgumentException("position past the data");
  }

  private static int indexOf(byte[] bytes, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static boolean is(byte[] raw, int from, int to, String name) {
    if (to - from != name.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (raw[from + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
