package dev.aigis.bench.soak;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which request comes next: a traffic kind by fixed weights, then, for {@link #FAULT_SHARE} of
 * requests, one of the faults that apply to that kind, each as likely as the others. Drawn from a
 * seeded generator, so a run with the same seed sends the same sequence. Not thread-safe: the
 * driver draws on its event loop.
 */
final class RequestMix {

  /** One request's kind and fault. */
  record Scenario(TrafficKind kind, Fault fault) {}

  /** Percent of requests per kind, in {@link TrafficKind} order. */
  static final int[] KIND_PERCENT = {30, 30, 20, 20};
  static final double FAULT_SHARE = 0.25;

  private final SplittableRandom random;

  RequestMix(long seed) {
    this.random = new SplittableRandom(seed);
  }

  Scenario next() {
    TrafficKind kind = kind(random.nextInt(100));
    if (random.nextDouble() >= FAULT_SHARE) {
      return new Scenario(kind, Fault.NONE);
    }
    List<Fault> faults = faultsFor(kind);
    return new Scenario(kind, faults.get(random.nextInt(faults.size())));
  }

  /** The faults that apply to {@code kind}, {@link Fault#NONE} excepted. */
  static List<Fault> faultsFor(TrafficKind kind) {
    return Arrays.stream(Fault.values()).filter(f -> f != Fault.NONE && f.appliesTo(kind)).toList();
  }

  /** Every scenario the mix can draw. */
  static List<Scenario> all() {
    return Arrays.stream(TrafficKind.values()).flatMap(k -> Arrays.stream(Fault.values())
        .filter(f -> f.appliesTo(k)).map(f -> new Scenario(k, f))).toList();
  }

  /** The share of requests that are {@code s}, as drawn. */
  static double share(Scenario s) {
    double kind = KIND_PERCENT[s.kind().ordinal()] / 100.0;
    return s.fault() == Fault.NONE ? kind * (1 - FAULT_SHARE) : kind * FAULT_SHARE / faultsFor(s.kind()).size();
  }

  private static TrafficKind kind(int percentile) {
    int bound = 0;
    for (TrafficKind k : TrafficKind.values()) {
      bound += KIND_PERCENT[k.ordinal()];
      if (percentile < bound) {
        return k;
      }
    }
    throw new IllegalStateException("kind percentages do not add up to 100");
  }
}
