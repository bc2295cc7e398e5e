package dev.aigis.server.metrics;

import dev.aigis.core.routing.semantic.RouteObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Semantic routing as metrics: {@code aigis_semantic_route_decisions_total{policy, route, confidence}}
 * and {@code aigis_semantic_route_duration_seconds{policy}} (embedding plus classification). The
 * policy and route are configured names ({@code default} and {@code out_of_scope} besides) and
 * confidence is {@code high} or {@code low}, so no client-chosen string becomes a label; the
 * decision family is capped like the gateway's others.
 */
public final class SemanticRouteMetrics implements RouteObserver {

  /** Embedding a short text takes ~3-5 ms and a scan of 18,000 examples ~3 ms on the reference machine. */
  private static final double[] DURATION_BUCKETS = {0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 1};

  private final MeterRegistry registry;
  private final CappedCounters counters;
  private final ConcurrentMap<String, Timer> durations = new ConcurrentHashMap<>();

  public SemanticRouteMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.counters = new CappedCounters(registry);
  }

  @Override
  public void decided(String policy, String route, String confidence) {
    counters.counter("aigis_semantic_route_decisions", "Semantic routing decisions by policy, route and confidence",
        "policy", policy, "route", route, "confidence", confidence).increment();
  }

  @Override
  public void classified(String policy, long nanos) {
    durations.computeIfAbsent(policy, name -> {
      Duration[] slos = new Duration[DURATION_BUCKETS.length];
      for (int i = 0; i < slos.length; i++) {
        slos[i] = Duration.ofNanos((long) (DURATION_BUCKETS[i] * 1e9));
      }
      return Timer.builder("aigis_semantic_route_duration")
          .description("Semantic routing per request: the text's embedding and the classification")
          .tag("policy", name)
          .serviceLevelObjectives(slos)
          .register(registry);
    }).record(nanos, TimeUnit.NANOSECONDS);
  }
}
