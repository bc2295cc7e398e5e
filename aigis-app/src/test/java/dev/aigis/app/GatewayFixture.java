package dev.aigis.app;

import dev.aigis.model.ConfigException;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.server.GatewayServer;
import dev.aigis.server.ServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A real gateway on a free port, configured from YAML, for end-to-end tests. */
public final class GatewayFixture implements AutoCloseable {

  public final GatewayServer server;
  public final int port;
  public final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private GatewayFixture(GatewayServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /** {@code yaml} may use {@code ${PORT}} for the listener port. */
  public static GatewayFixture start(String yaml) {
    return start(yaml, ServerOptions.defaults().withAdminPort(0).withAdminPort(0).withTrafficHost("127.0.0.1"), Map.of());
  }

  public static GatewayFixture start(String yaml, ServerOptions options, Map<String, String> env) {
    return start(yaml, options, env, java.time.InstantSource.system());
  }

  /** @param clock what rate-limit windows and credential expiry are judged by */
  public static GatewayFixture start(String yaml, ServerOptions options, Map<String, String> env,
      java.time.InstantSource clock) {
    return start(yaml, options, env, clock, null);
  }

  /** @param audit the audit log the data plane writes to, or null for none (the caller closes it) */
  public static GatewayFixture start(String yaml, ServerOptions options, Map<String, String> env,
      java.time.InstantSource clock, dev.aigis.server.audit.AuditLog audit) {
    // A free port is only free until someone else binds it: tests in other classes and processes
    // (fake upstreams, redis-server, gateway processes) take ports too. A lost race binds another.
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      try {
        ConfigSnapshot snapshot = ConfigPipeline.compileText("test.yaml", yaml.replace("${PORT}", Integer.toString(port)), env::get);
        return new GatewayFixture(GatewayServer.start(snapshot, options.withEventLoops(2), clock, audit), port);
      } catch (ConfigException e) {
        throw new IllegalStateException(e.getMessage(), e);
      } catch (IllegalStateException e) {
        if (attempt == 5 || e.getMessage() == null || !e.getMessage().contains("Address already in use")) {
          throw e;
        }
      }
    }
  }

  public static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public HttpResponse<String> post(String path, String json) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().build());
  }

  public HttpResponse<String> admin(String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path)).GET().build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends through {@code request} and returns its response once the gateway's response caches have
   * stored (or declined to store) its answer, which happens after the client has it.
   */
  public <T> T andStored(java.util.function.Supplier<T> request) {
    long before = server.caches().storesFinished();
    T response = request.get();
    try {
      server.caches().whenStoresFinished(before + 1).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the answer was not stored", e);
    }
    return response;
  }

  @Override
  public void close() {
    server.close();
  }
}
