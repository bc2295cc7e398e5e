package dev.aigis.server.gcp;

import dev.aigis.model.backend.ServiceAccountKey;
import dev.aigis.model.backend.VertexConfig;
import dev.aigis.model.snapshot.ResolvedBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
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
  private volatile HttpClient client;

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

  private HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          // One request an hour per account: a fresh connection each time, never a pooled one gone stale
          // (a reused keep-alive connection was seen to hang a token request in tests).
          client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        }
        c = client;
      }
    }
    return c;
  }
}
