package dev.aigis.server.metrics;

import dev.aigis.core.policy.PolicyObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Access and rate-limit decisions as metrics. Labels are policy and rule names from the
 * configuration and a closed set of decisions, so a caller cannot create series; the families are
 * still capped like the gateway's others.
 */
public final class PolicyMetrics implements PolicyObserver {


  private final MeterRegistry registry;
  private final CappedCounters counters;
  private final ConcurrentHashMap<String, AtomicInteger> storeUp = new ConcurrentHashMap<>();

  public PolicyMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.counters = new CappedCounters(registry);
  }

  @Override
  public void access(String policy, String decision) {
    counter("aigis_access_decisions", "AccessPolicy decisions", "policy", policy, "decision", decision).increment();
  }

  @Override
  public void rateLimit(String policy, String rule, String decision) {
    counter("aigis_ratelimit_decisions", "RateLimitPolicy rule decisions",
        "policy", policy, "rule", rule, "decision", decision).increment();
  }

  @Override
  public void keyFailed(String policy, String rule) {
    counter("aigis_ratelimit_key_failures", "Rate-limit key expressions that failed (the request used the rule's shared bucket)",
        "policy", policy, "rule", rule).increment();
  }

  /** A call a store's fallback served because the shared store could not be reached. */
  public void storeFallback(String store) {
    counter("aigis_ratelimit_store_fallbacks", "Rate-limit calls served by the local fallback store", "store", store)
        .increment();
  }

  /** Whether a shared store answers (1) or not (0). */
  public void storeHealthy(String store, boolean healthy) {
    storeUp.computeIfAbsent(store, name -> {
      AtomicInteger value = new AtomicInteger(1);
      io.micrometer.core.instrument.Gauge.builder("aigis_ratelimit_store_up", value, AtomicInteger::get)
          .description("Whether the shared rate-limit store answers").tag("store", name).register(registry);
      return value;
    }).set(healthy ? 1 : 0);
  }

  private Counter counter(String name, String description, String... tags) {
    return counters.counter(name, description, tags);
  }
}
