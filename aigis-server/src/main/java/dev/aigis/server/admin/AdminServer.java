package dev.aigis.server.admin;

import dev.aigis.server.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;

/**
 * The admin port: {@code /healthz} (the process is alive), {@code /readyz} (a configuration is
 * loaded and every listener is bound), {@code /metrics} (Prometheus text format) and
 * {@code /admin/usage} (rate-limit and budget usage per policy, rule and key, as JSON) and
 * {@code /admin/backends} (each backend's circuit state, requests and retries in flight, as JSON).
 */
public final class AdminServer {

  private final Vertx vertx;
  private final GatewayMetrics metrics;
  private final BooleanSupplier ready;
  private final java.util.function.Supplier<java.util.concurrent.CompletionStage<byte[]>> usage;
  private HttpServer server;
  private java.util.function.Supplier<String> backends = () -> "{\"backends\":[]}";

  public AdminServer(Vertx vertx, GatewayMetrics metrics, BooleanSupplier ready) {
    this(vertx, metrics, ready, () -> java.util.concurrent.CompletableFuture.completedFuture("{\"buckets\":[]}".getBytes()));
  }

  /** @param usage renders {@code /admin/usage}: rate-limit usage and remaining budget per policy, rule and key */
  public AdminServer(Vertx vertx, GatewayMetrics metrics, BooleanSupplier ready,
      java.util.function.Supplier<java.util.concurrent.CompletionStage<byte[]>> usage) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.ready = ready;
    this.usage = usage;
  }

  /** @param json renders {@code /admin/backends}; set before {@link #start} */
  public AdminServer backends(java.util.function.Supplier<String> json) {
    this.backends = json;
    return this;
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
      case "/admin/usage" -> usage.get().whenComplete((body, failure) -> {
        if (failure != null) {
          response.setStatusCode(503).putHeader("content-type", "text/plain").end("usage unavailable\n");
        } else {
          response.putHeader("content-type", "application/json").end(io.vertx.core.buffer.Buffer.buffer(body));
        }
      });
      case "/admin/backends" -> response.putHeader("content-type", "application/json").end(backends.get());
      default -> response.setStatusCode(404).putHeader("content-type", "text/plain").end("not found\n");
    }
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
