package dev.aigis.server;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code max} open connections per client address across the listeners, so one client
 * cannot take every file descriptor and lock the others out: a connection past the limit is
 * closed as it arrives. Shared by every event loop; the counts are exact (one atomic update per
 * connection opened and closed).
 */
final class ClientConnectionLimit {

  private static final Logger LOG = LoggerFactory.getLogger(ClientConnectionLimit.class);

  private final int max;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  ClientConnectionLimit(int max) {
    this.max = max;
  }

  void accept(HttpConnection connection) {
    SocketAddress remote = connection.remoteAddress();
    String client = remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    boolean[] admitted = new boolean[1];
    open.compute(client, (key, count) -> {
      int now = count == null ? 0 : count;
      admitted[0] = now < max;
      return admitted[0] ? now + 1 : count;
    });
    if (!admitted[0]) {
      LOG.warn("closing a connection from {}: it already holds {} open connections", client, max);
      connection.close();
      return;
    }
    connection.closeHandler(v -> open.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1));
  }
}
