package dev.aigis.core.routing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The first value of each query parameter, names and values percent-decoded as UTF-8. Parsed at
 * most once per request and only when a candidate with query matches gets that far; the front
 * doors' readers of a client's query (Gemini's {@code key} and {@code alt}) decode the same way.
 *
 * <p>{@code +} stays a literal plus: Gateway API matches URI query parameters, not form data.
 * A malformed escape such as {@code %zz} is kept as written. A parameter without {@code =} has the
 * empty value.
 */
public final class QueryParams {

  static final QueryParams EMPTY = new QueryParams(Map.of());

  private final Map<String, String> first;

  private QueryParams(Map<String, String> first) {
    this.first = first;
  }

  public static QueryParams parse(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return EMPTY;
    }
    Map<String, String> first = new HashMap<>();
    int start = 0;
    while (start <= rawQuery.length()) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) {
        end = rawQuery.length();
      }
      if (end > start) {
        int eq = rawQuery.indexOf('=', start);
        boolean hasValue = eq >= 0 && eq < end;
        String name = decode(rawQuery.substring(start, hasValue ? eq : end));
        String value = hasValue ? decode(rawQuery.substring(eq + 1, end)) : "";
        first.putIfAbsent(name, value);
      }
      start = end + 1;
    }
    return new QueryParams(first);
  }

  /** The first value of {@code name} (case-sensitive), or null. */
  public String first(String name) {
    return first.get(name);
  }

  /** Percent-decodes {@code s} as UTF-8, {@code +} kept, malformed escapes as written. */
  public static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      int hi;
      int lo;
      if (in[i] == '%' && i + 2 < in.length && (hi = hex(in[i + 1])) >= 0 && (lo = hex(in[i + 2])) >= 0) {
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        out.write(in[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte b) {
    return Character.digit(b, 16);
  }
}
