package dev.aigis.server.proxy;

import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.snapshot.EgressTarget;
import dev.aigis.model.snapshot.ForwardProxy;
import dev.aigis.model.snapshot.ResolvedBackend;
import dev.aigis.server.egress.EgressTrustManager;
import dev.aigis.server.metrics.EgressMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.util.List;
import dev.aigis.server.gcp.VertexTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Pooled keep-alive HTTP clients to upstreams, one per endpoint and event-loop thread. Keeping a
 * client per event loop means an upstream connection lives on the same thread as the downstream
 * request that uses it: no thread hop per chunk. Clients outlive configuration reloads for as long
 * as some backend still uses their endpoint.
 */
public final class UpstreamClients implements AutoCloseable {

  /**
   * What makes two backends share connections. {@code egress} is set for backends reached through
   * an XBackend: its TLS mode, trust and client certificate are part of the pool's identity.
   */
  public record EndpointKey(boolean tls, String host, int port, long connectTimeoutMillis, EgressTarget egress) {
    public static EndpointKey of(BackendEndpoint.Url url, Duration connectTimeout) {
      return new EndpointKey(url.tls(), url.host(), url.port(), connectTimeout.toMillis(), null);
    }

    public static EndpointKey of(ResolvedBackend backend) {
      var url = (BackendEndpoint.Url) backend.backend().endpoint();
      return new EndpointKey(url.tls(), url.host(), url.port(), backend.timeouts().connect().toMillis(), backend.egress());
    }
  }

  private record ClientKey(EndpointKey endpoint, Thread eventLoop) {}

  private static final int MAX_CONNECTIONS_PER_LOOP = 512;

  private final Vertx vertx;
  private final Map<ClientKey, HttpClient> clients = new ConcurrentHashMap<>();
  /** Access tokens for Vertex AI backends, shared by every listener so each account costs one token request. */
  private final VertexTokens vertexTokens;

  /** {@code --resolve} pins: {@code host:port} → the address to dial instead of resolving the host. */
  private final Map<String, String> pins;
  private final EgressMetrics egressMetrics;
  private final InstantSource clock;

  public UpstreamClients(Vertx vertx) {
    this(vertx, Map.of(), new EgressMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
        InstantSource.system());
  }

  /**
   * @param pins {@code host:port} → address, as {@code aigis run --resolve} gives them
   * @param clock checks the validity period of XBackend server certificates
   */
  public UpstreamClients(Vertx vertx, Map<String, String> pins, EgressMetrics egressMetrics, InstantSource clock) {
    this.vertx = vertx;
    this.vertexTokens = new VertexTokens(vertx, InstantSource.system());
    this.pins = Map.copyOf(pins);
    this.egressMetrics = egressMetrics;
    this.clock = clock;
  }

  EgressMetrics egressMetrics() {
    return egressMetrics;
  }

  /**
   * Points {@code options} at an XBackend: the TLS name (SNI and the certificate check) is the
   * validation hostname, the address dialled the external hostname or its {@code --resolve} pin.
   */
  RequestOptions target(EndpointKey endpoint, RequestOptions options) {
    EgressTarget egress = endpoint.egress();
    if (egress == null) {
      String pinned = pins.get(endpoint.host() + ":" + endpoint.port());
      return pinned == null ? options : options.setServer(SocketAddress.inetSocketAddress(endpoint.port(), pinned));
    }
    if (egress.proxy() != null) {
      // The proxy resolves the target: CONNECT names the external hostname, never a pinned address.
      return options.setHost(egress.tls() ? egress.verifyHostname() : egress.hostname()).setPort(egress.port())
          .setServer(SocketAddress.inetSocketAddress(egress.port(), egress.hostname()));
    }
    String pinned = pins.get(egress.hostname() + ":" + egress.port());
    return options.setHost(egress.tls() ? egress.verifyHostname() : egress.hostname()).setPort(egress.port())
        .setServer(SocketAddress.inetSocketAddress(egress.port(), pinned != null ? pinned : egress.hostname()));
  }

  VertexTokens vertexTokens() {
    return vertexTokens;
  }

  /** The client for this endpoint on the calling event loop, created on first use. */
  HttpClient client(EndpointKey endpoint) {
    return clients.computeIfAbsent(new ClientKey(endpoint, Thread.currentThread()), key -> create(key.endpoint()));
  }

  private HttpClient create(EndpointKey endpoint) {
    var options = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        .setKeepAlive(true)
        .setPipelining(false)
        .setTcpNoDelay(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, endpoint.connectTimeoutMillis()))
        .setDefaultHost(endpoint.host())
        .setDefaultPort(endpoint.port())
        .setDecompressionSupported(false)
        .setKeepAliveTimeout(60);
    if (endpoint.egress() != null) {
      egress(options, endpoint.egress());
    } else if (endpoint.tls()) {
      options.setSsl(true).setVerifyHost(true).setForceSni(true);
    }
    return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_LOOP).setMaxWaitQueueSize(-1));
  }

  /**
   * An XBackend's protocol and TLS. The trust manager is the only verifier and has no lenient mode;
   * ALPN offers what {@code protocol} names (HTTP: h2 and http/1.1).
   */
  private void egress(HttpClientOptions options, EgressTarget egress) {
    List<HttpVersion> alpn = switch (egress.protocol()) {
      case HTTP -> List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1);
      case HTTP2, H2C -> List.of(HttpVersion.HTTP_2);
      case HTTP11 -> List.of(HttpVersion.HTTP_1_1);
    };
    options.setProtocolVersion(alpn.getFirst()).setHttp2ClearTextUpgrade(false);
    if (egress.proxy() != null) {
      options.setProxyOptions(proxy(egress.proxy()));
    }
    if (!egress.tls()) {
      return;
    }
    options.setSsl(true).setVerifyHost(false).setForceSni(true).setUseAlpn(true).setAlpnVersions(alpn)
        .setTrustOptions(TrustOptions.wrap(new EgressTrustManager(egress, clock)));
    if (egress.clientCertificatePem() != null) {
      options.setKeyCertOptions(new PemKeyCertOptions()
          .addCertValue(Buffer.buffer(egress.clientCertificatePem()))
          .addKeyValue(Buffer.buffer(egress.clientKeyPem())));
    }
  }

  /**
   * An HTTP forward proxy: Vert.x tunnels a TLS target through {@code CONNECT} (the handshake and
   * its verification run end to end inside the tunnel) and sends Basic {@code Proxy-Authorization}
   * when credentials are set. A {@code --resolve} pin for the proxy's {@code host:port} applies.
   */
  private ProxyOptions proxy(ForwardProxy proxy) {
    String pinned = pins.get(proxy.host() + ":" + proxy.port());
    var options = new ProxyOptions().setType(ProxyType.HTTP).setHost(pinned != null ? pinned : proxy.host())
        .setPort(proxy.port());
    if (proxy.username() != null) {
      options.setUsername(proxy.username()).setPassword(proxy.password());
    }
    return options;
  }

  /** Closes clients whose endpoint no backend uses any more. In-flight requests on them finish first. */
  public void retainOnly(Set<EndpointKey> inUse) {
    var stale = clients.keySet().stream().filter(k -> !inUse.contains(k.endpoint())).collect(Collectors.toSet());
    for (ClientKey key : stale) {
      HttpClient client = clients.remove(key);
      if (client != null) {
        client.shutdown(30, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public void close() {
    clients.values().forEach(HttpClient::close);
    clients.clear();
  }
}
