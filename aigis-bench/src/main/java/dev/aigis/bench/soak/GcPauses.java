package dev.aigis.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's GC pauses over its life, from its {@code -Xlog:gc} file: young pauses, the full
 * pauses the sampler forces ({@code GC.run} shows as cause "Diagnostic Command"), and full pauses
 * for any other cause, which a heap under pressure would show.
 *
 * @param youngMillis young-collection pauses, in log order
 * @param sampledFullMillis full pauses forced by the sampler, in log order
 * @param otherFull other full pauses, by cause
 */
record GcPauses(List<Double> youngMillis, List<Double> sampledFullMillis, Map<String, Integer> otherFull) {

  static final String SAMPLER_CAUSE = "Diagnostic Command";
  /** {@code [6.248s][info][gc] GC(2) Pause Full (Metadata GC Threshold) 66M->43M(309M) 207.565ms} */
  private static final Pattern PAUSE = Pattern.compile("Pause (Young|Full) \\(([^)]*)\\).* ([\\d.]+)ms$");

  static GcPauses parse(Iterable<String> lines) {
    List<Double> young = new ArrayList<>();
    List<Double> sampled = new ArrayList<>();
    Map<String, Integer> other = new TreeMap<>();
    for (String line : lines) {
      Matcher m = PAUSE.matcher(line);
      if (!m.find()) {
        continue;
      }
      double millis = Double.parseDouble(m.group(3));
      if (m.group(1).equals("Young")) {
        young.add(millis);
      } else if (m.group(2).equals(SAMPLER_CAUSE)) {
        sampled.add(millis);
      } else {
        other.merge(m.group(2), 1, Integer::sum);
      }
    }
    return new GcPauses(List.copyOf(young), List.copyOf(sampled), other);
  }

  /** {@code 12 young pauses (median 6.0 ms, max 19.8 ms)}, or {@code no young pauses}. */
  static String describe(List<Double> pauses, String what) {
    if (pauses.isEmpty()) {
      return "no " + what;
    }
    double[] values = pauses.stream().mapToDouble(Double::doubleValue).toArray();
    double max = pauses.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return String.format(Locale.ROOT, "%,d %s (median %.1f ms, max %.1f ms)", pauses.size(), what,
        Flatness.median(values), max);
  }
}
