package dev.aigis.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters keyed by name and label values, at most {@link GatewayMetrics#DEFAULT_MAX_SERIES} label
 * sets in all; past that, a new label set counts under one whose values are all {@code other}, as
 * the gateway's other metric families do. Label values come from configuration, but a large one
 * must still not blow up a scrape.
 */
final class CappedCounters {

  private final MeterRegistry registry;
  private final int maxSeries;
  private final ConcurrentHashMap<Key, Counter> counters = new ConcurrentHashMap<>();

  /** A family's name and its label names and values, as given (one array copy per lookup). */
  private record Key(String name, List<String> tags) {}

  CappedCounters(MeterRegistry registry) {
    this(registry, GatewayMetrics.DEFAULT_MAX_SERIES);
  }

  CappedCounters(MeterRegistry registry, int maxSeries) {
    this.registry = registry;
    this.maxSeries = maxSeries;
  }

  /** @param tags alternating label names and values */
  Counter counter(String name, String description, String... tags) {
    Key key = new Key(name, List.of(tags));
    Counter counter = counters.get(key);
    if (counter != null) {
      return counter;
    }
    if (counters.size() >= maxSeries) {
      String[] other = tags.clone();
      for (int i = 1; i < other.length; i += 2) {
        other[i] = ModelLabels.OTHER;
      }
      return Counter.builder(name).description(description).tags(other).register(registry);
    }
    return counters.computeIfAbsent(key,
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }
}
