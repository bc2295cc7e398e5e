package dev.aigis.server.proxy;

import io.vertx.core.MultiMap;
import java.util.Map;

/**
 * Headers that describe one connection and must not be forwarded (RFC 9110 section 7.6.1). Checked
 * by length and a case-insensitive compare, so copying a header set costs no lower-casing or hashing.
 */
final class HopByHop {

  private HopByHop() {}

  static boolean is(String name) {
    return switch (name.length()) {
      case 2 -> name.equalsIgnoreCase("te");
      case 7 -> name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
      case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
      case 14 -> name.equalsIgnoreCase("http2-settings");
      case 16 -> name.equalsIgnoreCase("proxy-connection");
      case 17 -> name.equalsIgnoreCase("transfer-encoding");
      case 18 -> name.equalsIgnoreCase("proxy-authenticate");
      case 19 -> name.equalsIgnoreCase("proxy-authorization");
      default -> false;
    };
  }

  /**
   * Whether {@code name} is one the {@code Connection} header value {@code connection} lists: hop-by-hop
   * for this message (RFC 9110 §7.6.1), so a proxy does not forward it.
   */
  static boolean namedByConnection(String connection, String name) {
    if (connection == null) {
      return false;
    }
    for (String token : connection.split(",")) {
      if (token.trim().equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** Copies every end-to-end header of {@code from} into {@code to}, including none that {@code Connection} names. */
  static void copy(MultiMap from, MultiMap to) {
    String connection = from.get("connection");
    for (Map.Entry<String, String> header : from) {
      if (!is(header.getKey()) && !namedByConnection(connection, header.getKey())) {
        to.add(header.getKey(), header.getValue());
      }
    }
  }
}
