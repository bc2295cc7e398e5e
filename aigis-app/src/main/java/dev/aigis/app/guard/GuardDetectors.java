package dev.aigis.app.guard;

import dev.aigis.core.guard.injection.InjectionDetector;
import dev.aigis.core.guard.output.OutputFilter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The detectors {@code aigis guard eval} and {@code aigis guard train} know, by {@code --detector} name. */
final class GuardDetectors {

  private GuardDetectors() {}

  /** In the order help text lists them. */
  static Map<String, GuardDetector> all() {
    Map<String, GuardDetector> all = new LinkedHashMap<>();
    // One line per detector: all.put("injection", ...); all.put("output", ...); all.put("pii", ...);
    all.put("injection", new GuardDetector("injection", InjectionDetector::shipped,
        row -> row.path("label").asInt(), rows -> Map.of()));
    all.put("output", new GuardDetector("output", OutputFilter::shipped, row -> row.path("label").asInt(), rows -> Map.of()));
    return all;
  }
}
