package dev.aigis.bench.soak;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The gateway's {@code aigis_requests_total} from its Prometheus text, summed by status. */
final class PrometheusCounters {

  private static final String NAME = "aigis_requests_total{";
  private static final Pattern STATUS = Pattern.compile("[{,]status=\"(\\d+)\"");

  private PrometheusCounters() {}

  static Map<Integer, Long> requestsByStatus(String metrics) {
    Map<Integer, Long> byStatus = new TreeMap<>();
    for (String line : metrics.split("\n")) {
      if (!line.startsWith(NAME)) {
        continue;
      }
      Matcher m = STATUS.matcher(line);
      if (!m.find()) {
        continue;
      }
      long value = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      byStatus.merge(Integer.parseInt(m.group(1)), value, Long::sum);
    }
    return byStatus;
  }

  /** {@code end − start} per status: what happened between two scrapes. */
  static Map<Integer, Long> delta(Map<Integer, Long> start, Map<Integer, Long> end) {
    Map<Integer, Long> delta = new TreeMap<>();
    end.forEach((status, count) -> {
      long d = count - start.getOrDefault(status, 0L);
      if (d != 0) {
        delta.put(status, d);
      }
    });
    return delta;
  }
}
