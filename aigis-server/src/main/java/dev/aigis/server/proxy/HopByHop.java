package dev.aigis.server.proxy;

import io.vertx.core.MultiMap;
import java.util.Set;

/** Headers that describe one connection and must not be forwarded (RFC 9110 section 7.6.1). */
final class HopByHop {

  private static final Set<String> NAMES = Set.of(
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
      "te", "trailer", "transfer-encoding", "upgrade", "http2-settings");

  private HopByHop() {}

  static void strip(MultiMap headers) {
    String connection = headers.get("connection");
    if (connection != null) {
      for (String token : connection.split(",")) {
        headers.remove(token.trim());
      }
    }
    for (String name : NAMES) {
      headers.remove(name);
    }
  }
}
