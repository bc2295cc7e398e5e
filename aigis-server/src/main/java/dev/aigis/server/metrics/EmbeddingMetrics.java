package dev.aigis.server.metrics;

import dev.aigis.core.embedding.EmbeddingObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared embedding service as metrics: model run latency, batch sizes, queue depth, cache
 * hits and misses, refusals. One service per gateway, so no labels but the closed
 * {@code result=hit|miss}; nothing about a text is recorded. All meters are registered up front, so
 * the observer methods are a field read and an update.
 */
public final class EmbeddingMetrics implements EmbeddingObserver {

  /** A short text takes ~2 ms and a 128-token one ~8 ms on the reference machine; queueing adds more. */
  private static final double[] DURATION_BUCKETS = {0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 1};
  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128};

  private final Timer duration;
  private final DistributionSummary batchSize;
  private final AtomicInteger queueDepth = new AtomicInteger();
  private final Counter hits;
  private final Counter misses;
  private final Counter rejected;

  public EmbeddingMetrics(MeterRegistry registry) {
    Duration[] durations = new Duration[DURATION_BUCKETS.length];
    for (int i = 0; i < durations.length; i++) {
      durations[i] = Duration.ofNanos((long) (DURATION_BUCKETS[i] * 1e9));
    }
    this.duration = Timer.builder("aigis_embedding_duration")
        .description("Embedding model runs, one text each")
        .serviceLevelObjectives(durations)
        .register(registry);
    this.batchSize = DistributionSummary.builder("aigis_embedding_batch_size")
        .description("Waiting embedding requests a worker took at once")
        .serviceLevelObjectives(BATCH_BUCKETS)
        .register(registry);
    Gauge.builder("aigis_embedding_queue_depth", queueDepth, AtomicInteger::get)
        .description("Embedding requests waiting for a worker")
        .register(registry);
    String requests = "aigis_embedding_cache_requests";
    String requestsHelp = "Embedding requests answered from the cache or an identical running text (hit) or by a model run (miss)";
    this.hits = Counter.builder(requests).description(requestsHelp).tag("result", "hit").register(registry);
    this.misses = Counter.builder(requests).description(requestsHelp).tag("result", "miss").register(registry);
    this.rejected = Counter.builder("aigis_embedding_rejected")
        .description("Embedding requests refused because the queue was full")
        .register(registry);
  }

  @Override
  public void ran(long nanos) {
    duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void batch(int requests) {
    batchSize.record(requests);
  }

  @Override
  public void queueDepth(int waiting) {
    queueDepth.set(waiting);
  }

  @Override
  public void cache(boolean hit) {
    (hit ? hits : misses).increment();
  }

  @Override
  public void rejected() {
    rejected.increment();
  }
}
