package dev.aigis.app.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of a routing evaluation. {@code accuracy} is over rows whose true route is not
 * out of scope (a row predicted out of scope counts as wrong); out-of-scope precision and recall
 * are over predicted and true out-of-scope rows.
 */
final class RouteEvaluation {

  /** One classified row; {@code nanos} includes the embedding, {@code classifyNanos} only the scan. */
  record Row(String id, String truth, String predicted, long nanos, long classifyNanos) {}

  private RouteEvaluation() {}

  static Map<String, Object> figures(List<Row> rows, String outOfScope) {
    long inScope = 0;
    long correct = 0;
    long trueOos = 0;
    long predictedOos = 0;
    long bothOos = 0;
    for (Row row : rows) {
      boolean isOos = row.truth().equals(outOfScope);
      boolean saidOos = row.predicted().equals(outOfScope);
      if (!isOos) {
        inScope++;
        correct += row.truth().equals(row.predicted()) ? 1 : 0;
      }
      trueOos += isOos ? 1 : 0;
      predictedOos += saidOos ? 1 : 0;
      bothOos += isOos && saidOos ? 1 : 0;
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("rows", rows.size());
    figures.put("in_scope_rows", inScope);
    figures.put("oos_rows", trueOos);
    figures.put("accuracy", ratio(correct, inScope));
    figures.put("oos_precision", ratio(bothOos, predictedOos));
    figures.put("oos_recall", ratio(bothOos, trueOos));
    figures.put("latency_p50_ms", percentile(rows, 50, false));
    figures.put("latency_p99_ms", percentile(rows, 99, false));
    figures.put("classify_p50_ms", percentile(rows, 50, true));
    figures.put("classify_p99_ms", percentile(rows, 99, true));
    return figures;
  }

  /** Per true route: rows, recall (share routed correctly), precision (share of its predictions that were right). */
  static Map<String, Map<String, Object>> perRoute(List<Row> rows) {
    Map<String, long[]> counts = new TreeMap<>(); // rows, correct, predicted
    for (Row row : rows) {
      counts.computeIfAbsent(row.truth(), k -> new long[3])[0]++;
      if (row.truth().equals(row.predicted())) {
        counts.get(row.truth())[1]++;
      }
      counts.computeIfAbsent(row.predicted(), k -> new long[3])[2]++;
    }
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    counts.forEach((route, c) -> {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("rows", c[0]);
      figures.put("recall", ratio(c[1], c[0]));
      figures.put("precision", ratio(c[1], c[2]));
      out.put(route, figures);
    });
    return out;
  }

  /** The most frequent (truth → predicted) mistakes, most frequent first. */
  static List<Map.Entry<String, Long>> confusions(List<Row> rows, int limit) {
    Map<String, Long> pairs = new TreeMap<>();
    for (Row row : rows) {
      if (!row.truth().equals(row.predicted())) {
        pairs.merge(row.truth() + " -> " + row.predicted(), 1L, Long::sum);
      }
    }
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(pairs.entrySet());
    sorted.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
    return sorted.subList(0, Math.min(limit, sorted.size()));
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }

  /** Nearest-rank percentile in milliseconds. */
  static double percentile(List<Row> rows, int p, boolean classifyOnly) {
    if (rows.isEmpty()) {
      return 0;
    }
    long[] nanos = rows.stream().mapToLong(r -> classifyOnly ? r.classifyNanos() : r.nanos()).sorted().toArray();
    int rank = (int) Math.ceil(p / 100.0 * nanos.length);
    return nanos[Math.max(0, rank - 1)] / 1e6;
  }
}
