package dev.aigis.bench.soak;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one soak run found, for the report and the exit status.
 *
 * @param trafficSeconds how long traffic ran (from the first request to the last answer)
 * @param driver what the driver sent, skipped and never saw answered
 * @param counts the classified answers to requests sent after the warm-up: what is judged
 * @param warmupCounts those to requests sent during the warm-up: shown, not judged
 * @param samples the samples, the last one taken after traffic stopped
 * @param crossCheck the driver's counts against the gateway's metrics and access log
 * @param log the gateway's log during traffic
 * @param gc the gateway's GC pauses over its life
 * @param gatewayExit the end of the gateway's log if it exited during the run, else null
 */
record SoakResult(SoakOptions options, double trafficSeconds, SoakDriver.Summary driver,
    List<OutcomeTally.Count> counts, List<OutcomeTally.Count> warmupCounts, List<Sample> samples,
    CrossCheck crossCheck, GatewayLog log, GcPauses gc, String gatewayExit) {

  long requests() {
    return counts.stream().mapToLong(OutcomeTally.Count::count).sum();
  }

  long unexplained() {
    return counts.stream().filter(c -> !c.explained()).mapToLong(OutcomeTally.Count::count).sum();
  }

  long warmupRequests() {
    return warmupCounts.stream().mapToLong(OutcomeTally.Count::count).sum();
  }

  long warmupUnexplained() {
    return warmupCounts.stream().filter(c -> !c.explained()).mapToLong(OutcomeTally.Count::count).sum();
  }

  Map<ResourceMetric, Flatness.Verdict> verdicts() {
    Map<ResourceMetric, Flatness.Verdict> verdicts = new EnumMap<>(ResourceMetric.class);
    double warmup = options.warmup().toMillis() / 1000.0;
    for (ResourceMetric m : ResourceMetric.values()) {
      verdicts.put(m, m.judge(samples, warmup));
    }
    return verdicts;
  }

  enum Verdict { PASSED, FAILED, INCOMPLETE }

  /**
   * The bar, after the warm-up: zero unexplained answers, none skipped; over the whole run: flat
   * resources, counters that agree, every answer arrived, a gateway that stayed up and logged no
   * errors. A run too short to judge the resources, and otherwise clean, is incomplete.
   */
  Verdict verdict() {
    boolean clean = gatewayExit == null && unexplained() == 0 && driver.skipped() == 0 && driver.unfinished() == 0
        && crossCheck.agrees() && log.errors() == 0;
    Map<ResourceMetric, Flatness.Verdict> verdicts = verdicts();
    if (!clean || verdicts.values().stream().anyMatch(v -> v.result() == Flatness.Result.GROWING)) {
      return Verdict.FAILED;
    }
    return verdicts.values().stream().allMatch(v -> v.result() == Flatness.Result.FLAT) ? Verdict.PASSED
        : Verdict.INCOMPLETE;
  }
}
