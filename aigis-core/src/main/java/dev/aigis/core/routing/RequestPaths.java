package dev.aigis.core.routing;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.openai.RequestRejected;

/**
 * The one form of a request path that routes match and upstreams receive, so that a prefix route
 * allows exactly the paths it names. {@code /v1/../internal}, {@code /v1/%2e%2e/internal} and
 * {@code /v1/%2E%2E%2Finternal} must not pass a {@code PathPrefix /v1} route and then reach an
 * upstream that normalises them itself.
 *
 * <ol>
 *   <li>Percent-encoded unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) are decoded (RFC 3986
 *       §6.2.2.2), so {@code %2e} is a dot like any other; other escapes are kept as sent, hex
 *       digits upper-cased (§6.2.2.1).
 *   <li>An encoded slash or backslash ({@code %2F}, {@code %5C}) is refused: whether it separates
 *       segments depends on the upstream, so no prefix decision about it is safe (Envoy's
 *       {@code REJECT_REQUEST} choice). So is a malformed escape.
 *   <li>Dot segments are removed (RFC 3986 §5.2.4), never above the root.
 * </ol>
 *
 * Runs in one pass and allocates only when the path changes.
 */
public final class RequestPaths {

  private RequestPaths() {}

  /**
   * @param path the request's path, without the query
   * @return the normalised path (the same instance when nothing changed)
   * @throws RequestRejected (400) for an encoded slash, a malformed escape, or a path not starting with "/"
   */
  public static String normalize(String path) throws RequestRejected {
    if (path.isEmpty() || path.charAt(0) != '/') {
      throw refused("The request path must start with \"/\"");
    }
    if (path.indexOf('%') < 0 && !hasDotSegment(path)) {
      return path; // the common case: nothing to decode, no "." or ".." segment
    }
    String decoded = decodeUnreserved(path);
    String normalized = removeDotSegments(decoded);
    return normalized.equals(path) ? path : normalized;
  }

  private static String decodeUnreserved(String path) throws RequestRejected {
    if (path.indexOf('%') < 0) {
      return path;
    }
    var out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (i + 2 >= path.length() || hex(path.charAt(i + 1)) < 0 || hex(path.charAt(i + 2)) < 0) {
        throw refused("The request path has a malformed percent-encoding");
      }
      char decoded = (char) (hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2)));
      if (decoded == '/' || decoded == '\\') {
        throw refused("The request path has an encoded slash (%2F or %5C), which Aigis does not forward");
      }
      if (unreserved(decoded)) {
        out.append(decoded);
      } else {
        out.append('%').append(Character.toUpperCase(path.charAt(i + 1))).append(Character.toUpperCase(path.charAt(i + 2)));
      }
      i += 2;
    }
    return out.toString();
  }

  /** RFC 3986 §5.2.4 on an absolute path: "." segments go, ".." removes the segment before it. */
  static String removeDotSegments(String path) {
    if (!hasDotSegment(path)) {
      return path;
    }
    String[] segments = path.substring(1).split("/", -1);
    String[] kept = new String[segments.length];
    int size = 0;
    for (int i = 0; i < segments.length; i++) {
      boolean last = i == segments.length - 1;
      switch (segments[i]) {
        case "." -> {
          if (last) {
            kept[size++] = ""; // "/a/." is "/a/"
          }
        }
        case ".." -> {
          if (size > 0) {
            size--;
          }
          if (last) {
            kept[size++] = ""; // "/a/b/.." is "/a/"
          }
        }
        default -> kept[size++] = segments[i];
      }
    }
    var out = new StringBuilder(path.length());
    for (int i = 0; i < size; i++) {
      out.append('/').append(kept[i]);
    }
    return size == 0 ? "/" : out.toString();
  }

  private static boolean hasDotSegment(String path) {
    int from = 0;
    while (true) {
      int dot = path.indexOf('.', from);
      if (dot < 0) {
        return false;
      }
      boolean startsSegment = path.charAt(dot - 1) == '/'; // dot > 0: paths start with "/"
      int end = dot + 1 < path.length() && path.charAt(dot + 1) == '.' ? dot + 2 : dot + 1;
      boolean endsSegment = end == path.length() || path.charAt(end) == '/';
      if (startsSegment && endsSegment) {
        return true;
      }
      from = dot + 1;
    }
  }

  private static boolean unreserved(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static RequestRejected refused(String message) {
    return new RequestRejected(new GatewayError.InvalidRequest(message, null));
  }
}
