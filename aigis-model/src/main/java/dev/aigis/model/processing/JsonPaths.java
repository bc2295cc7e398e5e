package dev.aigis.model.processing;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSONPath subset body mutations accept: {@code $} followed by one or more segments, each
 * {@code .field}, {@code ['field']} (or {@code ["field"]}) or {@code [index]}, as in
 * {@code $.messages[0].content} or {@code $['x-meta']['team']}. A path names exactly one location, so
 * wildcards, descendants ({@code ..}), slices, filters and negative indices are refused. Shorthand field
 * names follow RFC 9535 (ASCII letters, digits and {@code _}, not starting with a digit); anything
 * else goes in quotes, where {@code \\} escapes a quote or a backslash.
 */
public final class JsonPaths {

  /** One step from a JSON value to a child. */
  public sealed interface Segment {

    /** A member of an object. */
    record Field(String name) implements Segment {}

    /** An element of an array, 0-based. */
    record Index(int index) implements Segment {}
  }

  private JsonPaths() {}

  /**
   * The segments of {@code path}, in order; never empty.
   *
   * @throws IllegalArgumentException {@code invalid JSONPath "…": <reason>}, naming the offset
   */
  public static List<Segment> parse(String path) {
    if (path == null || !path.startsWith("$")) {
      throw invalid(path, "must start with $");
    }
    List<Segment> segments = new ArrayList<>();
    int at = 1;
    while (at < path.length()) {
      char c = path.charAt(at);
      if (c == '.') {
        at = field(path, at + 1, segments);
      } else if (c == '[') {
        at = bracket(path, at + 1, segments);
      } else {
        throw invalid(path, "expected '.' or '[' at offset " + at);
      }
    }
    if (segments.isEmpty()) {
      throw invalid(path, "must select something below $, such as $.model");
    }
    return List.copyOf(segments);
  }

  /** Whether {@link #parse} accepts {@code path}. */
  public static boolean isValid(String path) {
    try {
      parse(path);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static int field(String path, int start, List<Segment> segments) {
    int end = start;
    while (end < path.length() && isNameChar(path.charAt(end), end == start)) {
      end++;
    }
    if (end == start) {
      String found = start < path.length() ? "'" + path.charAt(start) + "'" : "the end";
      throw invalid(path, "expected a field name at offset " + start + ", found " + found
          + (start < path.length() && (path.charAt(start) == '.' || path.charAt(start) == '*')
              ? " (wildcards and '..' are not supported)" : ""));
    }
    segments.add(new Segment.Field(path.substring(start, end)));
    return end;
  }

  private static boolean isNameChar(char c, boolean first) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || !first && c >= '0' && c <= '9';
  }

  /** After '[': a quoted name or a non-negative integer, then ']'. */
  private static int bracket(String path, int start, List<Segment> segments) {
    if (start >= path.length()) {
      throw invalid(path, "unclosed '[' at offset " + (start - 1));
    }
    char c = path.charAt(start);
    int at;
    if (c == '\'' || c == '"') {
      StringBuilder name = new StringBuilder();
      at = start + 1;
      while (true) {
        if (at >= path.length()) {
          throw invalid(path, "unterminated quoted name starting at offset " + start);
        }
        char next = path.charAt(at);
        if (next == c) {
          break;
        }
        if (next == '\\') {
          if (at + 1 >= path.length() || (path.charAt(at + 1) != c && path.charAt(at + 1) != '\\')) {
            throw invalid(path, "only \\" + c + " and \\\\ may be escaped (offset " + at + ")");
          }
          at++;
        }
        name.append(path.charAt(at));
        at++;
      }
      segments.add(new Segment.Field(name.toString()));
      at++;
    } else if (c >= '0' && c <= '9') {
      at = start;
      while (at < path.length() && path.charAt(at) >= '0' && path.charAt(at) <= '9') {
        at++;
      }
      String digits = path.substring(start, at);
      if (digits.length() > 1 && digits.charAt(0) == '0') {
        throw invalid(path, "index " + digits + " has a leading zero");
      }
      try {
        segments.add(new Segment.Index(Integer.parseInt(digits)));
      } catch (NumberFormatException e) {
        throw invalid(path, "index " + digits + " is too large");
      }
    } else {
      throw invalid(path, "expected a quoted name or a non-negative index at offset " + start
          + " (wildcards, slices, filters and negative indices are not supported)");
    }
    if (at >= path.length() || path.charAt(at) != ']') {
      throw invalid(path, "expected ']' at offset " + at);
    }
    return at + 1;
  }

  private static IllegalArgumentException invalid(String path, String reason) {
    return new IllegalArgumentException("invalid JSONPath \"" + path + "\": " + reason);
  }
}
