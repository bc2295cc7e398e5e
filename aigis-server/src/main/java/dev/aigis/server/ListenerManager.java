package dev.aigis.server;

import dev.aigis.model.gateway.Listener;
import dev.aigis.model.snapshot.BoundListener;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.server.metrics.GatewayMetrics;
import dev.aigis.server.proxy.HttpFrontDoor;
import dev.aigis.server.proxy.LengthAndChunkedGuard;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one set of HTTP servers per configured port, one server per event loop so the kernel
 * spreads connections across cores. On reload it binds new ports, hot-swaps certificates, and
 * drains removed ports: their servers stop accepting and finish in-flight requests first.
 */
final class ListenerManager {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerManager.class);

  /** What a port is bound with; a change of protocol re-binds, a change of certificate hot-swaps. */
  private record PortSpec(int port, Listener.Protocol protocol, BoundListener.TlsMaterial tls) {
    boolean sameCertificate(PortSpec other) {
      if (tls == null || other.tls == null) {
        return tls == other.tls;
      }
      return Arrays.equals(tls.certificateChainPem(), other.tls.certificateChainPem())
          && Arrays.equals(tls.privateKeyPem(), other.tls.privateKeyPem());
    }
  }

  /** A port's servers, one per event loop, and the deployment that owns their contexts. */
  private record Bound(PortSpec spec, List<HttpServer> servers, String deploymentId) {}

  /**
   * Binds one server on the event loop Vert.x gives this verticle instance. Deploying N instances
   * puts N servers on N event loops; Vert.x then spreads the port's connections across them.
   */
  private static final class ListenerVerticle extends VerticleBase {
    private final HttpServerOptions serverOptions;
    private final HttpFrontDoor handler;
    private final String host;
    private final int port;
    private final List<HttpServer> servers;
    private final ConnectionAdmission admission;

    ListenerVerticle(HttpServerOptions serverOptions, HttpFrontDoor handler, String host, int port,
        List<HttpServer> servers, ConnectionAdmission admission) {
      this.serverOptions = serverOptions;
      this.handler = handler;
      this.host = host;
      this.port = port;
      this.servers = servers;
      this.admission = admission;
    }

    @Override
    public Future<?> start() {
      HttpServer server = vertx.createHttpServer(serverOptions).requestHandler(handler).connectionHandler(connection -> {
        if (admission.admit(connection, () -> handler.disconnected(connection))) {
          if (!serverOptions.isHttp2ClearTextEnabled()) {
            LengthAndChunkedGuard.install(connection, serverOptions);
          }
          handler.connected(connection);
        }
      });
      return server.listen(port, host).onSuccess(servers::add);
    }
  }

  private final Vertx vertx;
  private final ServerOptions options;
  private final int instances;
  private final IntFunction<HttpFrontDoor> handlers;
  private final Map<Integer, Bound> bound = new HashMap<>();
  private final ConnectionAdmission admission;
  /** Completes when the ports the last change removed have drained and are closed. */
  private Future<Void> released = Future.succeededFuture();

  ListenerManager(Vertx vertx, ServerOptions options, int instances, IntFunction<HttpFrontDoor> handlers,
      GatewayMetrics metrics) {
    this.vertx = vertx;
    this.options = options;
    this.instances = instances;
    this.handlers = handlers;
    this.admission = new ConnectionAdmission(options.maxConnections(), options.maxConnectionsPerClient(), metrics);
  }

  /**
   * Brings the bound ports in line with the snapshot, in an order that keeps a failed change
   * harmless: new ports are bound first; only when all of them listen are certificates swapped and
   * removed ports drained. If a bind fails, the servers opened for this change are closed and
   * nothing else has changed. Must be called from a thread that is not an event loop.
   */
  synchronized Future<Void> apply(ConfigSnapshot snapshot) {
    Map<Integer, PortSpec> wanted = new HashMap<>();
    for (BoundListener listener : snapshot.listeners()) {
      wanted.putIfAbsent(listener.port(), new PortSpec(listener.port(), listener.listener().protocol(), listener.tls()));
    }
    Map<Integer, Bound> opened = new java.util.concurrent.ConcurrentHashMap<>();
    List<Future<Bound>> binding = new ArrayList<>();
    for (PortSpec spec : wanted.values()) {
      Bound existing = bound.get(spec.port());
      if (existing == null || existing.spec().protocol() != spec.protocol()) {
        binding.add(listen(spec).onSuccess(fresh -> opened.put(spec.port(), fresh)));
      }
    }
    return Future.join(binding).<Void>transform(result -> {
      if (result.failed()) {
        opened.values().forEach(b -> vertx.undeploy(b.deploymentId()));
        return Future.failedFuture(result.cause());
      }
      return switchOver(wanted, opened);
    });
  }

  private synchronized Future<Void> switchOver(Map<Integer, PortSpec> wanted, Map<Integer, Bound> opened) {
    List<Future<?>> pending = new ArrayList<>();
    List<Future<Void>> draining = new ArrayList<>();
    for (var it = bound.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      PortSpec want = wanted.get(entry.getKey());
      if (want == null || opened.containsKey(entry.getKey())) {
        draining.add(drain(entry.getValue()));
        it.remove();
      } else if (!want.sameCertificate(entry.getValue().spec())) {
        for (HttpServer server : entry.getValue().servers()) {
          pending.add(server.updateSSLOptions(sslOptions(want.tls()), true));
        }
        entry.setValue(new Bound(want, entry.getValue().servers(), entry.getValue().deploymentId()));
      }
    }
    bound.putAll(opened);
    released = Future.join(draining).mapEmpty();
    return Future.all(pending).mapEmpty();
  }

  /**
   * Completes when the ports the last change removed have drained their in-flight requests and
   * closed: a change returns before that (draining may take the whole drain timeout).
   */
  synchronized Future<Void> released() {
    return released;
  }

  /** Ports actually bound, for logs and tests (differs from configured when a port was 0). */
  synchronized Map<Integer, Integer> actualPorts() {
    Map<Integer, Integer> ports = new HashMap<>();
    bound.forEach((port, b) -> ports.put(port, b.servers().getFirst().actualPort()));
    return ports;
  }

  /** Deploys one listening server per event loop; fails (and leaves nothing bound) if the port cannot be bound. */
  private Future<Bound> listen(PortSpec spec) {
    List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpFrontDoor handler = handlers.apply(spec.port());
    HttpServerOptions serverOptions = serverOptions(spec);
    return vertx.deployVerticle(
            () -> new ListenerVerticle(serverOptions, handler, options.trafficHost(), spec.port(), servers, admission),
            new DeploymentOptions().setInstances(instances))
        .map(id -> new Bound(spec, List.copyOf(servers), id))
        .onSuccess(b -> LOG.info("listening on {}:{} ({}, {} event loops)", options.trafficHost(), spec.port(),
            spec.protocol(), instances))
        .onFailure(err -> LOG.error("cannot listen on port {}: {}", spec.port(), err.getMessage()));
  }

  private HttpServerOptions serverOptions(PortSpec spec) {
    var serverOptions = new HttpServerOptions()
        .setTcpNoDelay(true)
        .setReuseAddress(true)
        .setReusePort(true)
        .setHttp2ClearTextEnabled(options.h2c())
        .setCompressionSupported(false)
        .setIdleTimeout(300)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    if (spec.protocol() == Listener.Protocol.HTTPS) {
      Objects.requireNonNull(spec.tls(), "HTTPS listener without certificate");
      serverOptions.setSsl(true).setUseAlpn(true).setKeyCertOptions(keyCert(spec.tls()));
    }
    return serverOptions;
  }

  private static PemKeyCertOptions keyCert(BoundListener.TlsMaterial tls) {
    return new PemKeyCertOptions()
        .addCertValue(Buffer.buffer(tls.certificateChainPem()))
        .addKeyValue(Buffer.buffer(tls.privateKeyPem()));
  }

  private static ServerSSLOptions sslOptions(BoundListener.TlsMaterial tls) {
    return new ServerSSLOptions().setKeyCertOptions(keyCert(tls));
  }

  /** Stops accepting on the port, lets in-flight requests finish (up to the drain timeout), then undeploys. */
  private Future<Void> drain(Bound old) {
    LOG.info("port {} removed from configuration; draining in-flight requests", old.spec().port());
    List<Future<Void>> shutdowns = new ArrayList<>();
    for (HttpServer server : old.servers()) {
      shutdowns.add(server.shutdown(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS));
    }
    return Future.join(shutdowns).transform(done -> vertx.undeploy(old.deploymentId()));
  }

  synchronized Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    bound.values().forEach(b -> closing.add(drain(b)));
    bound.clear();
    return Future.join(closing).mapEmpty();
  }
}
