package dev.aigis.core.ratelimit;

import java.time.Instant;

/**
 * A bucket's counter in one window, as a store saw it after an operation.
 *
 * @param used what the window has been charged, {@code >= 0}; may exceed {@code limit} by the
 *     in-flight bound described on {@link RateLimitStore}
 * @param limit the limit of the charge that produced this state (for a snapshot, of the latest one)
 */
public record BucketState(String bucket, long limit, long used, Window window) {

  /** What is left in the window, never negative: the {@code RateLimit-Remaining} value. */
  public long remaining() {
    return Math.max(0, limit - used);
  }

  /** When the window ends and the budget is whole again: the {@code RateLimit-Reset} instant. */
  public Instant resetAt() {
    return window.end();
  }

  /** Whether the next admission to this bucket in this window is refused. */
  public boolean exhausted() {
    return used >= limit;
  }
}
