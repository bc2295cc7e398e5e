package dev.aigis.model.route;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Gateway API HTTPRouteRetry (GEP-1731): which upstream answers are retried ({@code codes}; a
 * connection refused, reset or timed out before the response head is always retryable), how many
 * times the request is sent in all ({@code attempts}, counting the first) and the base of the
 * exponential backoff between attempts.
 */
public record RouteRetry(Set<Integer> codes, int attempts, Duration backoff) {

  /** Gateway API's implementation-specific default, Envoy's: two tries. */
  public static final int DEFAULT_ATTEMPTS = 2;
  public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(100);

  public RouteRetry {
    codes = codes == null ? Set.of() : Set.copyOf(codes);
    backoff = backoff == null ? DEFAULT_BACKOFF : backoff;
  }

  /** From the reader's nullable fields. */
  public static RouteRetry of(List<Integer> codes, Integer attempts, Duration backoff) {
    return new RouteRetry(codes == null ? Set.of() : Set.copyOf(codes), attempts == null ? DEFAULT_ATTEMPTS : attempts,
        backoff);
  }
}
