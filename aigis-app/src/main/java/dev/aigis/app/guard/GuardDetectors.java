package dev.aigis.app.guard;

import dev.aigis.core.guard.injection.InjectionDetector;
import dev.aigis.core.guard.output.OutputFilter;
import dev.aigis.core.guard.pii.PiiReport;
import dev.aigis.core.guard.pii.PiiScanner;
import dev.aigis.core.guard.pii.PiiScorer;
import java.util.LinkedHashMap;
import java.util.Map;

/** The detectors {@code aigis guard eval} and {@code aigis guard train} know, by {@code --detector} name. */
final class GuardDetectors {

  private GuardDetectors() {}

  /** In the order help text lists them. */
  static Map<String, GuardDetector> all() {
    Map<String, GuardDetector> all = new LinkedHashMap<>();
    all.put("injection", new GuardDetector("injection", InjectionDetector::shipped,
        row -> row.path("label").asInt(), rows -> Map.of()));
    all.put("output", new GuardDetector("output", OutputFilter::shipped, row -> row.path("label").asInt(), rows -> Map.of()));
    all.put("pii", new GuardDetector("pii", () -> new PiiScorer(PiiScanner.all()),
        row -> PiiReport.hasCoveredSpan(row, PiiScanner.all()) ? 1 : 0,
        rows -> PiiReport.evaluate(PiiScanner.all(), rows).toMap()));
    return all;
  }
}
