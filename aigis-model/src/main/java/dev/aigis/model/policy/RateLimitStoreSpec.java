package dev.aigis.model.policy;

import java.net.URI;
import java.time.Duration;

/**
 * Where a RateLimitPolicy keeps its counters: in the gateway's memory (per replica) or in Redis
 * (shared by every replica).
 *
 * @param redisUrl {@code redis://host:port[/db]}; null: in memory
 * @param passwordSecret a Secret (same namespace) whose {@code password} key authenticates to Redis, or null
 * @param timeout how long one store call may take before the policy's failure mode applies
 */
public record RateLimitStoreSpec(URI redisUrl, String passwordSecret, Duration timeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);
  public static final RateLimitStoreSpec MEMORY = new RateLimitStoreSpec(null, null, DEFAULT_TIMEOUT);

  public RateLimitStoreSpec {
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  public boolean inMemory() {
    return redisUrl == null;
  }
}
