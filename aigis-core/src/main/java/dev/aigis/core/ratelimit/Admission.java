package dev.aigis.core.ratelimit;

import java.util.List;

/**
 * The answer to {@link RateLimitStore#admit}.
 *
 * @param admitted whether the request may go on; if so every charge was counted, if not none was
 * @param buckets one state per charge, in the order of the charges: after the charge when admitted,
 *     the current state when refused (for the {@code RateLimit-*} and {@code Retry-After} headers)
 */
public record Admission(boolean admitted, List<BucketState> buckets) {

  public Admission {
    buckets = List.copyOf(buckets);
  }

  /**
   * The states that refused the request (exhausted before the charge); empty when admitted.
   * {@code Retry-After} is the latest {@link BucketState#resetAt()} among them.
   */
  public List<BucketState> exhausted() {
    return admitted ? List.of() : buckets.stream().filter(BucketState::exhausted).toList();
  }
}
