package dev.aigis.core.sse;

import java.nio.charset.StandardCharsets;

/** Writes SSE blocks. Data containing newlines is split across data lines, as the format requires. */
public final class SseEncoder {

  private SseEncoder() {}

  public static byte[] data(String data) {
    return event(null, data);
  }

  public static byte[] event(String eventName, String data) {
    var out = new StringBuilder(data.length() + 16);
    if (eventName != null) {
      out.append("event: ").append(eventName).append('\n');
    }
    int start = 0;
    int newline;
    while ((newline = data.indexOf('\n', start)) >= 0) {
      out.append("data: ").append(data, start, newline).append('\n');
      start = newline + 1;
    }
    out.append("data: ").append(data, start, data.length()).append("\n\n");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
