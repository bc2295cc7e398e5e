package dev.aigis.app.guard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.guard.TextScorer;
import dev.aigis.core.guard.classify.BinaryMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Scores labelled rows with one detector and computes the figures {@code aigis guard eval}
 * prints. Counts (precision, recall, F1, FPR) come from the detector's own decisions; AUC and the
 * TPR at a 1 % false-positive budget from its scores; the threshold is the lowest score the
 * detector flagged (a detector flags every row whose score is at least its threshold).
 */
final class GuardEvaluation {

  /** One scored row, in input order. */
  record Row(String id, int label, double score, boolean flagged, long nanos) {}

  private GuardEvaluation() {}

  /**
   * Scores every row once, timing each call with {@code clock} (nanoseconds). The first rows are
   * scored once before, untimed, so class loading and JIT warm-up do not land in the percentiles.
   */
  static List<Row> score(GuardDetector detector, TextScorer scorer, List<JsonNode> rows, LongSupplier clock) {
    for (int i = 0; i < Math.min(20, rows.size()); i++) {
      scorer.score(rows.get(i).get("text").asText());
    }
    List<Row> out = new ArrayList<>(rows.size());
    for (JsonNode row : rows) {
      String text = row.get("text").asText();
      long start = clock.getAsLong();
      TextScorer.Scored scored = scorer.score(text);
      long nanos = clock.getAsLong() - start;
      out.add(new Row(row.path("id").asText(), detector.label().applyAsInt(row), scored.score(), scored.flagged(), nanos));
    }
    return out;
  }

  /** The common figures in the order {@code --json} writes them; NaN where undefined. */
  static Map<String, Object> metrics(List<Row> rows) {
    int tp = 0;
    int fp = 0;
    int tn = 0;
    int fn = 0;
    double threshold = Double.NaN;
    double[] scores = new double[rows.size()];
    int[] labels = new int[rows.size()];
    long[] nanos = new long[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      scores[i] = row.score();
      labels[i] = row.label();
      nanos[i] = row.nanos();
      if (row.flagged()) {
        threshold = Double.isNaN(threshold) ? row.score() : Math.min(threshold, row.score());
        if (row.label() == 1) {
          tp++;
        } else {
          fp++;
        }
      } else if (row.label() == 1) {
        fn++;
      } else {
        tn++;
      }
    }
    var counts = new BinaryMetrics.AtThreshold(threshold, tp, fp, tn, fn);
    var metrics = new BinaryMetrics(scores, labels);
    boolean bothLabels = tp + fn > 0 && fp + tn > 0;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("precision", counts.precision());
    m.put("recall", counts.recall());
    m.put("f1", counts.f1());
    m.put("fpr", counts.fpr());
    m.put("auc", metrics.auc());
    m.put("tpr_at_1pct_fpr", bothLabels ? metrics.tprAtFpr(0.01) : Double.NaN);
    m.put("threshold", threshold);
    Arrays.sort(nanos);
    m.put("latency_p50_ms", percentile(nanos, 0.50) / 1e6);
    m.put("latency_p99_ms", percentile(nanos, 0.99) / 1e6);
    return m;
  }

  /** Nearest-rank percentile. */
  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }
}
