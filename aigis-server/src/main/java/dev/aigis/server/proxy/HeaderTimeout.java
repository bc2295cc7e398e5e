package dev.aigis.server.proxy;

import dev.aigis.core.processing.Scheduler;
import dev.aigis.server.metrics.GatewayMetrics;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes an HTTP/1.x connection that has not delivered a complete request head within the timeout
 * of opening, or of the end of its previous exchange (nginx's {@code client_header_timeout}). A
 * client trickling header bytes (slowloris) or parking idle keep-alive connections holds a
 * descriptor for at most that long; the connection idle timeout would otherwise let each byte buy
 * another 300 s. Nothing is answered: there is no request to answer. An HTTP/2 connection is
 * watched until its first request only; its streams multiplex and are left to the idle timeout.
 *
 * <p>Per connection one timer while it waits for a head, none while an exchange runs; a connection
 * found in the map when a request arrives has its timer cancelled.
 */
final class HeaderTimeout {

  private final Duration timeout;
  private final Scheduler timers;
  private final GatewayMetrics metrics;
  private final ConcurrentHashMap<HttpConnection, Watch> watches = new ConcurrentHashMap<>();

  HeaderTimeout(Duration timeout, Scheduler timers, GatewayMetrics metrics) {
    this.timeout = timeout;
    this.timers = timers;
    this.metrics = metrics;
  }

  /** A connection was accepted: it now has the timeout to send a request head. */
  void opened(HttpConnection connection) {
    if (!timeout.isPositive()) {
      return;
    }
    Watch watch = new Watch(connection);
    watches.put(connection, watch);
    watch.arm();
  }

  void closed(HttpConnection connection) {
    Watch watch = watches.remove(connection);
    if (watch != null) {
      watch.closed = true;
      watch.cancel();
    }
  }

  /**
   * A request head arrived; returns what to re-arm when its exchange ends (null: nothing). On an
   * HTTP/2 connection the watch ends here: its first head came in time.
   */
  Watch headArrived(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      closed(request.connection());
      return null;
    }
    Watch watch = watches.get(request.connection());
    if (watch != null) {
      watch.cancel();
    }
    return watch;
  }

  /** One connection's timer. Touched on the connection's event loop (the manual clock in tests). */
  final class Watch {
    private final HttpConnection connection;
    private Scheduler.Cancellable timer;
    private volatile boolean closed;

    private Watch(HttpConnection connection) {
      this.connection = connection;
    }

    /** The exchange ended; the connection waits for the next head. */
    void arm() {
      if (closed) {
        return;
      }
      cancel();
      timer = timers.schedule(timeout, () -> {
        timer = null;
        metrics.connectionShed(GatewayMetrics.ShedReason.HEADER_TIMEOUT);
        connection.close();
      });
    }

    private void cancel() {
      Scheduler.Cancellable pending = timer;
      timer = null;
      if (pending != null) {
        pending.cancel();
      }
    }
  }
}
