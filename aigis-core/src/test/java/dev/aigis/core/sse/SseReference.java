package dev.aigis.core.sse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The event-stream rules read the obvious way (whole text, split into lines), as the fuzz oracle
 * for {@link SseDecoder}'s incremental reading. Aigis's deviations from WHATWG are mirrored: a
 * block without data lines is still an event (data null, so keep-alives pass on), an empty data
 * value is kept, and a leading BOM is not stripped.
 */
final class SseReference {

  private SseReference() {}

  /** [event, data, id] of each complete block, in order. */
  static List<List<String>> read(byte[] stream) {
    String text = new String(stream, StandardCharsets.UTF_8);
    List<List<String>> events = new ArrayList<>();
    String event = null;
    StringBuilder data = null;
    String id = null;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\n' && c != '\r') {
        continue;
      }
      String line = text.substring(start, i);
      if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        i++;
      }
      start = i + 1;
      if (line.isEmpty()) {
        events.add(Arrays.asList(event, data == null ? null : data.toString(), id));
        event = null;
        data = null;
        id = null;
        continue;
      }
      int colon = line.indexOf(':');
      if (colon == 0) {
        continue;
      }
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(line.startsWith(" ", colon + 1) ? colon + 2 : colon + 1);
      switch (field) {
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        case "event" -> event = value;
        case "id" -> id = value;
        default -> { }
      }
    }
    return events;
  }
}
