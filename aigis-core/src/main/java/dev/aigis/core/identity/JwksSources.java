package dev.aigis.core.identity;

import dev.aigis.model.policy.JwtProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's key sources, one per JWKS file or URL, handed out again to every configuration
 * that names the same file or URL: a hot reload then keeps fetched keys, refresh timers and fetch
 * rate limits instead of fetching everything anew. Create one per process and close it at shutdown.
 *
 * <p>Sources are kept until {@link #close()}: a configuration that stops naming a URL leaves its
 * source idle (it fetches only when asked), which costs one small object per URL ever configured.
 */
public final class JwksSources implements AutoCloseable {

  private final InstantSource clock;
  private final HttpClient http;
  private final boolean ownsHttp;
  private final ConcurrentHashMap<String, JwksSource> sources = new ConcurrentHashMap<>();

  public JwksSources(InstantSource clock) {
    this(clock, HttpClient.newBuilder()
        .connectTimeout(UrlJwksSource.TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build(), true);
  }

  /** With a client the caller configured (proxy, trust store) and closes. */
  public JwksSources(InstantSource clock, HttpClient http) {
    this(clock, http, false);
  }

  private JwksSources(InstantSource clock, HttpClient http, boolean ownsHttp) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.http = Objects.requireNonNull(http, "http");
    this.ownsHttp = ownsHttp;
  }

  public JwksSource file(Path file) {
    Path normalized = file.toAbsolutePath().normalize();
    return sources.computeIfAbsent("file:" + normalized, k -> new FileJwksSource(normalized, clock));
  }

  /** The source for {@code url}; when it exists already, {@code refresh} replaces its interval. */
  public JwksSource url(URI url, Duration refresh) {
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("JWKS refresh interval must be positive: " + refresh);
    }
    JwksSource source = sources.computeIfAbsent("url:" + url, k -> new UrlJwksSource(url, refresh, http, clock));
    ((UrlJwksSource) source).refresh(refresh);
    return source;
  }

  public JwksSource forProvider(JwtProvider provider) {
    if (provider.jwksFile() != null) {
      return file(Path.of(provider.jwksFile()));
    }
    if (provider.jwksUrl() != null) {
      return url(provider.jwksUrl(), provider.jwksRefresh());
    }
    throw new IllegalArgumentException("JWT provider " + provider.name() + " names neither jwksFile nor jwksUrl");
  }

  /** Stops fetches in flight if this registry made its HTTP client; sources fail their fetches afterwards. */
  @Override
  public void close() {
    if (ownsHttp) {
      http.shutdownNow();
    }
  }
}
