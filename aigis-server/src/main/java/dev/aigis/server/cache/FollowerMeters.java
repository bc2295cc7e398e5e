package dev.aigis.server.cache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * How each shared cache's follower keeps up, per cache (its configured name, never a client's
 * string): {@code aigis_cache_stream_applied_total}, {@code aigis_cache_stream_rebuilds_total},
 * {@code aigis_cache_stream_overruns_total}, and the gauges {@code aigis_cache_stream_following}
 * (1 while its Redis connection answers) and {@code aigis_cache_stream_behind} (1 while entries wait
 * to be indexed: catch-up or a burst). A store reopened under the same name (a reload that changed
 * its Redis settings) replaces the one the meters read.
 */
final class FollowerMeters {

  private final MeterRegistry registry;
  private final Map<String, RedisResponseCacheStore> current = new ConcurrentHashMap<>();

  FollowerMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void opened(String cache, RedisResponseCacheStore store) {
    if (current.put(cache, store) != null) {
      return;
    }
    counter(cache, "aigis_cache_stream_applied", "Stream entries applied to this replica's cache index",
        stats -> stats.applied());
    counter(cache, "aigis_cache_stream_rebuilds", "Times this replica rebuilt its cache index from the stream",
        stats -> stats.rebuilds());
    counter(cache, "aigis_cache_stream_overruns", "Times puts outran this replica's cache index by more than maxEntries",
        stats -> stats.overruns());
    gauge(cache, "aigis_cache_stream_following", "1 while this replica follows the cache's Redis stream",
        stats -> stats.following() ? 1 : 0);
    gauge(cache, "aigis_cache_stream_behind", "1 while stream entries wait to be indexed in this replica",
        stats -> stats.behind() ? 1 : 0);
  }

  void closed(String cache, RedisResponseCacheStore store) {
    current.remove(cache, store);
  }

  private void counter(String cache, String name, String description,
      ToDoubleFunction<RedisResponseCacheStore.FollowerStats> read) {
    FunctionCounter.builder(name, current, map -> value(map.get(cache), read))
        .description(description).tag("cache", cache).register(registry);
  }

  private void gauge(String cache, String name, String description,
      ToDoubleFunction<RedisResponseCacheStore.FollowerStats> read) {
    Gauge.builder(name, current, map -> value(map.get(cache), read))
        .description(description).tag("cache", cache).register(registry);
  }

  private static double value(RedisResponseCacheStore store, ToDoubleFunction<RedisResponseCacheStore.FollowerStats> read) {
    return store == null ? 0 : read.applyAsDouble(store.stats());
  }
}
