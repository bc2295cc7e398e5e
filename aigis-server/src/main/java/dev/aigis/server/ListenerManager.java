package dev.aigis.server;

import dev.aigis.model.gateway.Listener;
import dev.aigis.model.snapshot.BoundListener;
import dev.aigis.model.snapshot.ConfigSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
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

  private record Bound(PortSpec spec, List<HttpServer> servers) {}

  private final Vertx vertx;
  private final ServerOptions options;
  private final int instances;
  private final IntFunction<Handler<HttpServerRequest>> handlers;
  private final Map<Integer, Bound> bound = new HashMap<>();

  ListenerManager(Vertx vertx, ServerOptions options, int instances, IntFunction<Handler<HttpServerRequest>> handlers) {
    this.vertx = vertx;
    this.options = options;
    this.instances = instances;
    this.handlers = handlers;
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
    Map<Integer, Bound> opened = new HashMap<>();
    List<Future<Void>> binding = new ArrayList<>();
    for (PortSpec spec : wanted.values()) {
      Bound existing = bound.get(spec.port());
      if (existing == null || existing.spec().protocol() != spec.protocol()) {
        Bound fresh = open(spec);
        opened.put(spec.port(), fresh);
        binding.add(listen(fresh));
      }
    }
    return Future.all(binding).<Void>transform(result -> {
      if (result.failed()) {
        opened.values().forEach(b -> b.servers().forEach(HttpServer::close));
        return Future.failedFuture(result.cause());
      }
      return switchOver(wanted, opened);
    });
  }

  private synchronized Future<Void> switchOver(Map<Integer, PortSpec> wanted, Map<Integer, Bound> opened) {
    List<Future<?>> pending = new ArrayList<>();
    for (var it = bound.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      PortSpec want = wanted.get(entry.getKey());
      if (want == null || opened.containsKey(entry.getKey())) {
        drain(entry.getValue());
        it.remove();
      } else if (!want.sameCertificate(entry.getValue().spec())) {
        for (HttpServer server : entry.getValue().servers()) {
          pending.add(server.updateSSLOptions(sslOptions(want.tls()), true));
        }
        entry.setValue(new Bound(want, entry.getValue().servers()));
      }
    }
    bound.putAll(opened);
    return Future.all(pending).mapEmpty();
  }

  /** Ports actually bound, for logs and tests (differs from configured when a port was 0). */
  synchronized Map<Integer, Integer> actualPorts() {
    Map<Integer, Integer> ports = new HashMap<>();
    bound.forEach((port, b) -> ports.put(port, b.servers().getFirst().actualPort()));
    return ports;
  }

  private Bound open(PortSpec spec) {
    var servers = new ArrayList<HttpServer>();
    Handler<HttpServerRequest> handler = handlers.apply(spec.port());
    for (int i = 0; i < instances; i++) {
      servers.add(vertx.createHttpServer(serverOptions(spec)).requestHandler(handler));
    }
    return new Bound(spec, List.copyOf(servers));
  }

  private Future<Void> listen(Bound fresh) {
    PortSpec spec = fresh.spec();
    List<Future<HttpServer>> listening = new ArrayList<>();
    for (HttpServer server : fresh.servers()) {
      listening.add(server.listen(spec.port(), options.trafficHost()));
    }
    return Future.all(listening)
        .onSuccess(v -> LOG.info("listening on {}:{} ({})", options.trafficHost(), spec.port(), spec.protocol()))
        .onFailure(err -> LOG.error("cannot listen on port {}: {}", spec.port(), err.getMessage()))
        .mapEmpty();
  }

  private HttpServerOptions serverOptions(PortSpec spec) {
    var serverOptions = new HttpServerOptions()
        .setTcpNoDelay(true)
        .setReuseAddress(true)
        .setReusePort(true)
        .setHttp2ClearTextEnabled(true)
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

  private void drain(Bound old) {
    LOG.info("port {} removed from configuration; draining in-flight requests", old.spec().port());
    for (HttpServer server : old.servers()) {
      server.shutdown(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  synchronized Future<Void> close() {
    List<Future<?>> closing = new ArrayList<>();
    bound.values().forEach(b -> b.servers().forEach(s -> closing.add(s.shutdown(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS))));
    bound.clear();
    return Future.all(closing).mapEmpty();
  }
}
