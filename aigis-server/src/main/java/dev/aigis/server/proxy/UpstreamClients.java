package dev.aigis.server.proxy;

import dev.aigis.model.backend.BackendEndpoint;
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

  /** What makes two backends share connections. */
  public record EndpointKey(boolean tls, String host, int port, long connectTimeoutMillis) {
    public static EndpointKey of(BackendEndpoint.Url url, Duration connectTimeout) {
      return new EndpointKey(url.tls(), url.host(), url.port(), connectTimeout.toMillis());
    }
  }

  private record ClientKey(EndpointKey endpoint, Thread eventLoop) {}

  private static final int MAX_CONNECTIONS_PER_LOOP = 512;

  private final Vertx vertx;
  private final Map<ClientKey, HttpClient> clients = new ConcurrentHashMap<>();
  /** Access tokens for Vertex AI backends, shared by every listener so each account costs one token request. */
  private final VertexTokens vertexTokens;

  public UpstreamClients(Vertx vertx) {
    this.vertx = vertx;
    this.vertexTokens = new VertexTokens(vertx, InstantSource.system());
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
    if (endpoint.tls()) {
      options.setSsl(true).setVerifyHost(true).setForceSni(true);
    }
    return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_LOOP).setMaxWaitQueueSize(-1));
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
