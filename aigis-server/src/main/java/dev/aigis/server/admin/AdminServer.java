package dev.aigis.server.admin;

import dev.aigis.server.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;

/**
 * The admin port: {@code /healthz} (the process is alive), {@code /readyz} (a configuration is
 * loaded and every listener is bound) and {@code /metrics} (Prometheus text format).
 */
public final class AdminServer {

  private final Vertx vertx;
  private final GatewayMetrics metrics;
  private final BooleanSupplier ready;
  private HttpServer server;

  public AdminServer(Vertx vertx, GatewayMetrics metrics, BooleanSupplier ready) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.ready = ready;
  }

  public Future<Integer> start(String host, int port) {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(port, host).map(HttpServer::actualPort);
  }

  private void handle(HttpServerRequest request) {
    var response = request.response();
    switch (request.path()) {
      case "/healthz" -> response.putHeader("content-type", "text/plain").end("ok\n");
      case "/readyz" -> {
        boolean isReady = ready.getAsBoolean();
        response.setStatusCode(isReady ? 200 : 503).putHeader("content-type", "text/plain").end(isReady ? "ready\n" : "not ready\n");
      }
      case "/metrics" -> response.putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape());
      default -> response.setStatusCode(404).putHeader("content-type", "text/plain").end("not found\n");
    }
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
