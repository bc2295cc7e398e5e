package dev.aigis.server.ratelimit;

import dev.aigis.core.ratelimit.MemoryRateLimitStore;
import dev.aigis.core.ratelimit.RateLimitStore;
import dev.aigis.testkit.RateLimitStoreContract;
import java.time.InstantSource;

/** The store contract on the in-memory store (its twin runs the same tests on Redis). */
class MemoryRateLimitStoreContractTest extends RateLimitStoreContract {

  @Override
  protected RateLimitStore newStore(InstantSource clock) {
    return new MemoryRateLimitStore(clock);
  }
}
