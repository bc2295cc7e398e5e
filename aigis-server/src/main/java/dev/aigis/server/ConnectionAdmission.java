package dev.aigis.server;

import dev.aigis.server.metrics.GatewayMetrics;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which client connections the listeners keep: at most {@code maxPerClient} open per client
 * address, so one client cannot take every file descriptor and lock the others out, and at most
 * {@code maxTotal} in all, so the process keeps descriptors in reserve for upstream connections
 * and files and goes on accepting (and shedding) instead of failing to accept once descriptors run
 * out. A connection past either limit is closed as it arrives and counted. Shared by every event
 * loop; counts are exact (one atomic update per connection opened and closed).
 */
final class ConnectionAdmission {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionAdmission.class);
  /** When the descriptor limit cannot be read. */
  private static final int FALLBACK_MAX_TOTAL = 16_384;

  private final int maxTotal;
  private final int maxPerClient;
  private final GatewayMetrics metrics;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  /** @param maxTotal 0 for half the process's descriptor limit (the other half is the reserve) */
  ConnectionAdmission(int maxTotal, int maxPerClient, GatewayMetrics metrics) {
    this.maxTotal = maxTotal > 0 ? maxTotal : halfTheDescriptorLimit();
    this.maxPerClient = maxPerClient;
    this.metrics = metrics;
  }

  int maxTotal() {
    return maxTotal;
  }

  /**
   * Keeps {@code connection} or closes it; a kept connection is released when it closes, and
   * {@code onClose} runs then too (Vert.x allows one close handler per connection).
   */
  boolean admit(HttpConnection connection, Runnable onClose) {
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      shed(connection, GatewayMetrics.ShedReason.TOTAL_LIMIT);
      return false;
    }
    SocketAddress remote = connection.remoteAddress();
    String client = remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    boolean[] admitted = new boolean[1];
    open.compute(client, (key, count) -> {
      int now = count == null ? 0 : count;
      admitted[0] = now < maxPerClient;
      return admitted[0] ? now + 1 : count;
    });
    if (!admitted[0]) {
      total.decrementAndGet();
      LOG.debug("closing a connection from {}: it already holds {} open connections", client, maxPerClient);
      shed(connection, GatewayMetrics.ShedReason.CLIENT_LIMIT);
      return false;
    }
    connection.closeHandler(v -> {
      total.decrementAndGet();
      open.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
      onClose.run();
    });
    return true;
  }

  private void shed(HttpConnection connection, GatewayMetrics.ShedReason reason) {
    metrics.connectionShed(reason);
    connection.close();
  }

  private static int halfTheDescriptorLimit() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long limit = unix.getMaxFileDescriptorCount();
      if (limit > 0) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(64, limit / 2));
      }
    }
    return FALLBACK_MAX_TOTAL;
  }
}
