package dev.aigis.core.guard.classify;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Detection metrics over scored, labelled rows: precision, recall, F1 and false-positive rate at a
 * threshold (a row is flagged when its score is at least the threshold), ROC AUC (ties counted
 * half), and the threshold and true-positive rate at a false-positive budget, which is how a
 * guard's shipped threshold is chosen.
 */
public final class BinaryMetrics {

  private final double[] scores;
  private final int[] labels;
  private final int positives;
  private final int negatives;

  public BinaryMetrics(double[] scores, int[] labels) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException("scores and labels differ in length");
    }
    this.scores = scores.clone();
    this.labels = labels.clone();
    int p = 0;
    for (int label : labels) {
      p += label == 1 ? 1 : 0;
    }
    this.positives = p;
    this.negatives = labels.length - p;
  }

  /** Counts at one threshold. */
  public record AtThreshold(double threshold, int tp, int fp, int tn, int fn) {
    public double precision() {
      return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    }

    public double recall() {
      return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    }

    public double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double fpr() {
      return fp + tn == 0 ? 0 : (double) fp / (fp + tn);
    }
  }

  public AtThreshold at(double threshold) {
    int tp = 0;
    int fp = 0;
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] >= threshold) {
        if (labels[i] == 1) {
          tp++;
        } else {
          fp++;
        }
      }
    }
    return new AtThreshold(threshold, tp, fp, negatives - fp, positives - tp);
  }

  /** ROC AUC by the rank-sum formula; NaN when one label is missing. */
  public double auc() {
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double rankSumPositive = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] == 1) {
          rankSumPositive += averageRank;
        }
      }
      i = j + 1;
    }
    return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /**
   * The lowest threshold whose false-positive rate is at most {@code maxFpr}: the most recall the
   * budget allows. Thresholds are the scores themselves; when even the highest score breaks the
   * budget, a threshold just above it (nothing flagged).
   */
  public double thresholdAtFpr(double maxFpr) {
    double[] negativeScores = new double[negatives];
    int n = 0;
    for (int i = 0; i < scores.length; i++) {
      if (labels[i] == 0) {
        negativeScores[n++] = scores[i];
      }
    }
    Arrays.sort(negativeScores);
    int allowed = (int) Math.floor(maxFpr * negatives);
    if (negatives == 0) {
      return Arrays.stream(scores).min().orElse(0);
    }
    // Flagging scores >= t: the negatives at or above t must be at most `allowed`.
    int index = negatives - allowed - 1;
    if (index < 0) {
      return Arrays.stream(scores).min().orElse(0);
    }
    double bound = negativeScores[index];
    return Math.nextUp(bound);
  }

  /** True-positive rate at the threshold {@link #thresholdAtFpr} picks. */
  public double tprAtFpr(double maxFpr) {
    return at(thresholdAtFpr(maxFpr)).recall();
  }
}
