package dev.aigis.core.identity;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A JWKS served over HTTP(S), fetched with {@link HttpClient#sendAsync} so no caller thread blocks.
 *
 * <ul>
 *   <li>The first caller starts the fetch; callers until it ends wait on the same future.
 *   <li>A set older than the refresh interval is still answered at once while one background fetch
 *       replaces it.
 *   <li>An unknown {@code kid} triggers a fetch at most once per {@link #KID_REFETCH_INTERVAL}.
 *   <li>A failed fetch keeps the old set and is retried after {@link #RETRY_AFTER_FAILURE} (or the
 *       refresh interval, if shorter), never per request.
 * </ul>
 *
 * <p>Fetches complete on the HTTP client's executor, and so do stages that waited for one.
 */
final class UrlJwksSource implements JwksSource {

  static final Duration KID_REFETCH_INTERVAL = Duration.ofSeconds(30);
  static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** Real key sets are a few KiB; a MiB leaves room for large rotations while bounding memory. */
  static final int MAX_BYTES = 1 << 20;

  private final URI uri;
  private final HttpClient http;
  private final InstantSource clock;
  private final FetchHealth health;
  private volatile Duration refresh;

  // Written under the lock; the two volatile fields also serve the lock-free fast path.
  private volatile CompletableFuture<JWKSet> keys; // completed; null until the first success
  private volatile Instant nextFetch = Instant.MIN;
  private CompletableFuture<JWKSet> inFlight;
  private Instant lastKidFetch;

  UrlJwksSource(URI uri, Duration refresh, HttpClient http, InstantSource clock) {
    this.uri = uri;
    this.refresh = refresh;
    this.http = http;
    this.clock = clock;
    this.health = new FetchHealth(uri.toString());
  }

  /** A reloaded configuration may change the interval; it applies from the next fetch. */
  void refresh(Duration refresh) {
    this.refresh = refresh;
  }

  @Override
  public CompletionStage<JWKSet> keys() {
    Instant now = clock.instant();
    CompletableFuture<JWKSet> cached = keys;
    if (cached != null && now.isBefore(nextFetch)) {
      return cached;
    }
    synchronized (this) {
      if (keys == null) {
        if (inFlight != null) {
          return inFlight.copy();
        }
        return now.isBefore(nextFetch) ? CompletableFuture.failedFuture(health.unavailable()) : fetch(now).copy();
      }
      if (inFlight == null && !now.isBefore(nextFetch)) {
        fetch(now);
      }
      return keys;
    }
  }

  @Override
  public CompletionStage<JWKSet> keysWithKid(String kid) {
    CompletableFuture<JWKSet> cached = keys;
    if (cached != null && cached.join().getKeyByKeyId(kid) != null) {
      return cached;
    }
    Instant now = clock.instant();
    synchronized (this) {
      if (keys == null) {
        return keys();
      }
      if (inFlight != null) {
        return orKeep(inFlight, keys);
      }
      if (lastKidFetch != null && now.isBefore(lastKidFetch.plus(KID_REFETCH_INTERVAL))) {
        return keys;
      }
      lastKidFetch = now;
      return orKeep(fetch(now), keys);
    }
  }

  /** Test hook: the fetch under way, or a completed future when there is none. */
  synchronized CompletableFuture<?> pendingFetch() {
    return inFlight == null ? CompletableFuture.completedFuture(null) : inFlight.handle((k, e) -> null);
  }

  private static CompletionStage<JWKSet> orKeep(CompletableFuture<JWKSet> fetch, CompletableFuture<JWKSet> old) {
    return fetch.handle((fetched, failure) -> fetched != null ? fetched : old.join());
  }

  /** Starts a fetch; under the lock. The returned future completes after the state is updated. */
  private CompletableFuture<JWKSet> fetch(Instant now) {
    CompletableFuture<JWKSet> result = new CompletableFuture<>();
    inFlight = result;
    CompletableFuture<JWKSet> download;
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("accept", "application/json").GET().build();
      download = http.sendAsync(request, UrlJwksSource::bodyHandler).thenApply(UrlJwksSource::parse);
    } catch (RuntimeException e) { // a closed client, an unusable URI
      download = CompletableFuture.failedFuture(e);
    }
    download.whenComplete((fetched, failure) -> {
      finish(fetched, failure);
      if (fetched != null) {
        result.complete(fetched);
      } else {
        result.completeExceptionally(health.unavailable());
      }
    });
    return result;
  }

  private synchronized void finish(JWKSet fetched, Throwable failure) {
    Instant now = clock.instant();
    inFlight = null;
    if (fetched != null) {
      keys = CompletableFuture.completedFuture(fetched);
      nextFetch = now.plus(refresh);
      health.succeeded();
    } else {
      Duration retry = refresh.compareTo(RETRY_AFTER_FAILURE) < 0 ? refresh : RETRY_AFTER_FAILURE;
      nextFetch = now.plus(retry);
      health.failed(unwrap(failure), keys != null);
    }
  }

  private static HttpResponse.BodySubscriber<byte[]> bodyHandler(HttpResponse.ResponseInfo info) {
    return info.statusCode() == 200 ? new CappedBody(MAX_BYTES) : BodySubscribers.replacing(null);
  }

  private static JWKSet parse(HttpResponse<byte[]> response) {
    if (response.statusCode() != 200) {
      throw new UncheckedIOException(new IOException("HTTP status " + response.statusCode()));
    }
    try {
      return JWKSet.parse(new String(response.body(), StandardCharsets.UTF_8)).toPublicJWKSet();
    } catch (java.text.ParseException e) {
      throw new UncheckedIOException(new IOException("not a JWKS document: " + e.getMessage()));
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof UncheckedIOException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
