package dev.aigis.server.gcp;

import dev.aigis.model.backend.ServiceAccountKey;
import dev.aigis.model.backend.VertexConfig;
import dev.aigis.model.snapshot.ResolvedBackend;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link TokenSource} per service account and token URL, kept across configuration reloads so
 * a reload does not cost a token request; a rotated key is a new entry. Thread-safe.
 */
public final class VertexTokens {

  private record Key(ServiceAccountKey account, String tokenUrl) {}

  private final Vertx vertx;
  private final InstantSource clock;
  private final Map<Key, TokenSource> sources = new ConcurrentHashMap<>();
  /**
   * One request an hour per account: the JDK client, off the event loops, is enough and simple.
   * Built on first use, as it starts a thread that a gateway without Vertex AI backends never needs.
   */
  private volatile java.net.http.HttpClient client;

  public VertexTokens(Vertx vertx, InstantSource clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /** The token source for a GCPVertexAI backend (validated when compiled: key and vertex present). */
  public TokenSource source(ResolvedBackend backend) {
    ServiceAccountKey account = backend.serviceAccount();
    VertexConfig vertex = backend.backend().vertex();
    String url = vertex != null && vertex.tokenUrl() != null ? vertex.tokenUrl()
        : account.tokenUri() != null ? account.tokenUri() : VertexConfig.DEFAULT_TOKEN_URL;
    return sources.computeIfAbsent(new Key(account, url),
        k -> new ServiceAccountTokenSource(client(), k.account(), k.tokenUrl(), clock));
  }

  private java.net.http.HttpClient client() {
    java.net.http.HttpClient built = client;
    if (built == null) {
      synchronized (this) {
        built = client;
        if (built == null) {
          built = java.net.http.HttpClient.newBuilder()
              .connectTimeout(java.time.Duration.ofMillis(ServiceAccountTokenSource.TIMEOUT_MILLIS)).build();
          client = built;
        }
      }
    }
    return built;
  }


}
