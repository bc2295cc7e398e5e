package dev.aigis.core.ratelimit;

import java.util.Objects;

/**
 * What one rule charges one request: {@code cost} units against {@code bucket}'s {@code limit} in
 * {@code window}.
 *
 * <p>Counts are integers in a unit the caller chooses: requests, tokens, or for USD budgets a fixed
 * fraction such as micro-dollars (the caller converts the rule's decimal volume and rounds costs up).
 *
 * <p>A bucket's counter is kept per window: the same {@code bucket} in the next window starts from 0.
 * Two charges name the same counter when their bucket ids and windows are equal; the limit is not
 * part of the identity, so a changed limit applies to the running window at once.
 *
 * @param bucket an opaque id the caller chooses (policy, rule and key, say); any characters, at most
 *     {@link #MAX_BUCKET_LENGTH}; stores report it back verbatim
 * @param limit the window's volume, {@code >= 0} (0 refuses everything)
 * @param cost for {@link RateLimitStore#admit}, {@code >= 0}; for {@link RateLimitStore#adjust}, any
 *     sign
 * @param window the window the cost is counted in
 */
public record Charge(String bucket, long limit, long cost, Window window) {

  /** Bucket ids are short ids, not payloads; the cap bounds a Redis key at about 1.4 KB. */
  public static final int MAX_BUCKET_LENGTH = 1024;

  public Charge {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(window, "window");
    if (bucket.isEmpty() || bucket.length() > MAX_BUCKET_LENGTH) {
      throw new IllegalArgumentException(
          "a bucket id has 1 to " + MAX_BUCKET_LENGTH + " characters, got " + bucket.length());
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, got " + limit + " for " + bucket);
    }
  }
}
