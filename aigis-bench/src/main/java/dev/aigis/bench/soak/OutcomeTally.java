package dev.aigis.bench.soak;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every answer the driver classified, counted by traffic kind, fault and outcome. Written by the
 * driver's event loop, read by the sampler and the report from other threads.
 */
final class OutcomeTally {

  /** How often one outcome came back for one scenario, and what the first of them said. */
  record Count(TrafficKind kind, Fault fault, Outcome outcome, long count, boolean explained, String firstDetail) {}

  private record Key(TrafficKind kind, Fault fault, Outcome outcome) {}

  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<Key, String> firstDetail = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong unexplained = new AtomicLong();

  /**
   * @param detail what the client saw beyond the outcome (an exception, a body excerpt), or null
   * @return whether this was the first time this scenario had this outcome
   */
  boolean record(RequestMix.Scenario s, Outcome outcome, String detail) {
    Key key = new Key(s.kind(), s.fault(), outcome);
    boolean[] first = {false};
    counts.computeIfAbsent(key, k -> {
      first[0] = true;
      return new LongAdder();
    }).increment();
    if (detail != null) {
      firstDetail.putIfAbsent(key, detail);
    }
    total.incrementAndGet();
    if (!OutcomeClassifier.explained(s.kind(), s.fault(), outcome)) {
      unexplained.incrementAndGet();
    }
    return first[0];
  }

  long total() {
    return total.get();
  }

  long unexplained() {
    return unexplained.get();
  }

  /** The counts, ordered by kind, fault, then status. */
  List<Count> counts() {
    return counts.entrySet().stream()
        .map(e -> new Count(e.getKey().kind(), e.getKey().fault(), e.getKey().outcome(), e.getValue().sum(),
            OutcomeClassifier.explained(e.getKey().kind(), e.getKey().fault(), e.getKey().outcome()),
            firstDetail.get(e.getKey())))
        .sorted(Comparator.comparing(Count::kind).thenComparing(Count::fault)
            .thenComparingInt(c -> c.outcome().status()).thenComparing(c -> c.outcome().ending()))
        .toList();
  }
}
