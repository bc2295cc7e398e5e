package dev.aigis.server.metrics;

import dev.aigis.core.rag.RagObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Retrieval as metrics: {@code aigis_retrieval_seconds{knowledge_base}} (embedding the query and
 * searching, or the external retriever's round trip), {@code aigis_retrieval_chunks_total{knowledge_base,
 * outcome=found|injected}}, {@code aigis_retrieval_failures_total{knowledge_base, reason}} and the
 * gauge {@code aigis_knowledge_base_chunks{knowledge_base}}. The knowledge base is its configured
 * {@code namespace/name} and reasons are a closed set, so no client string becomes a label.
 */
public final class RagMetrics implements RagObserver {

  private final MeterRegistry registry;
  private final CappedCounters counters;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> sizes = new ConcurrentHashMap<>();

  public RagMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.counters = new CappedCounters(registry);
  }

  @Override
  public void retrieved(String knowledgeBase, long nanos, int found, int injected) {
    timers.computeIfAbsent(knowledgeBase, kb -> Timer.builder("aigis_retrieval")
        .description("Time to retrieve context for one request (query embedding and search, or the external retriever)")
        .tag("knowledge_base", kb)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    counters.counter("aigis_retrieval_chunks", "Chunks retrieved above the minimum score, and injected",
        "knowledge_base", knowledgeBase, "outcome", "found").increment(found);
    counters.counter("aigis_retrieval_chunks", "Chunks retrieved above the minimum score, and injected",
        "knowledge_base", knowledgeBase, "outcome", "injected").increment(injected);
  }

  @Override
  public void failed(String knowledgeBase, String reason) {
    counters.counter("aigis_retrieval_failures", "Retrievals that failed, by reason",
        "knowledge_base", knowledgeBase, "reason", reason).increment();
  }

  @Override
  public void indexed(String knowledgeBase, int chunks) {
    sizes.computeIfAbsent(knowledgeBase, kb -> {
      AtomicInteger size = new AtomicInteger();
      Gauge.builder("aigis_knowledge_base_chunks", size, AtomicInteger::get)
          .description("Chunks in a knowledge base's local index").tag("knowledge_base", kb).register(registry);
      return size;
    }).set(chunks);
  }
}
