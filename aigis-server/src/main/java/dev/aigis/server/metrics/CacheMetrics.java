package dev.aigis.server.metrics;

import dev.aigis.core.cache.CacheObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Response cache metrics: {@code aigis_cache_lookups_total{cache, tier, result}} (the hit ratio of
 * a tier is its hits over its lookups; the semantic tier is asked only after an exact miss),
 * {@code aigis_cache_tokens_saved_total{cache, kind}}, {@code aigis_cache_cost_saved_usd_total{cache}},
 * {@code aigis_cache_stores_total{cache, result}} and the gauge {@code aigis_cache_entries{cache}}.
 * The cache label is the processor's configured name; tiers, kinds and results are closed sets.
 */
public final class CacheMetrics implements CacheObserver {

  private final MeterRegistry registry;
  private final CappedCounters counters;
  private final Map<String, LongSupplier> sizes = new ConcurrentHashMap<>();

  public CacheMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.counters = new CappedCounters(registry);
  }

  @Override
  public void lookup(String cache, String tier, String result) {
    counters.counter("aigis_cache_lookups", "Response cache lookups by cache, tier and result",
        "cache", cache, "tier", tier, "result", result).increment();
  }

  @Override
  public void saved(String cache, long inputTokens, long outputTokens, long nanoUsd) {
    counters.counter("aigis_cache_tokens_saved", "Tokens of answers served from the response cache",
        "cache", cache, "kind", "input").increment(inputTokens);
    counters.counter("aigis_cache_tokens_saved", "Tokens of answers served from the response cache",
        "cache", cache, "kind", "output").increment(outputTokens);
    counters.counter("aigis_cache_cost_saved_usd", "Price of answers served from the response cache (USD)",
        "cache", cache).increment(nanoUsd / 1e9);
  }

  @Override
  public void stored(String cache, String result) {
    counters.counter("aigis_cache_stores", "Answers offered to the response cache by result",
        "cache", cache, "result", result).increment();
  }

  @Override
  public void entries(String cache, LongSupplier size) {
    // A store reopened under the same name replaces the supplier; the gauge reads the latest one.
    if (sizes.put(cache, size) == null) {
      Gauge.builder("aigis_cache_entries", sizes, map -> {
        LongSupplier current = map.get(cache);
        return current == null ? 0 : current.getAsLong();
      }).description("Entries held by a response cache in this replica").tag("cache", cache).register(registry);
    }
  }
}
