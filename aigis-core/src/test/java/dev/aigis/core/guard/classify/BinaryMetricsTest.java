package dev.aigis.core.guard.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BinaryMetricsTest {

  @Test
  void countsAtAThresholdAndAucWithTies() {
    var metrics = new BinaryMetrics(new double[] {0.9, 0.8, 0.8, 0.3, 0.1}, new int[] {1, 1, 0, 0, 0});
    var at = metrics.at(0.8);
    assertThat(at).isEqualTo(new BinaryMetrics.AtThreshold(0.8, 2, 1, 2, 0));
    assertThat(at.precision()).isCloseTo(2 / 3.0, within(1e-9));
    assertThat(at.fpr()).isCloseTo(1 / 3.0, within(1e-9));
    // pairs (pos,neg): 0.9 beats all 3; 0.8 beats 2 and ties 1 -> (3 + 2.5) / 6
    assertThat(metrics.auc()).isCloseTo(5.5 / 6, within(1e-9));
  }

  @Test
  void thresholdAtAFalsePositiveBudgetFlagsNoMoreNegativesThanAllowed() {
    double[] scores = new double[200];
    int[] labels = new int[200];
    for (int i = 0; i < 100; i++) {
      scores[i] = i / 100.0; // negatives 0.00 .. 0.99
      scores[100 + i] = 0.5 + i / 200.0; // positives 0.5 .. 0.995
      labels[100 + i] = 1;
    }
    var metrics = new BinaryMetrics(scores, labels);
    double t = metrics.thresholdAtFpr(0.02);
    assertThat(metrics.at(t).fp()).isEqualTo(2);
    assertThat(metrics.at(t).fpr()).isLessThanOrEqualTo(0.02);
    assertThat(metrics.at(Math.nextDown(t)).fp()).isEqualTo(3);
  }

  @Test
  void logisticRegressionSeparatesALinearlySeparableSetAndRoundTripsThroughJson() {
    float[][] x = {{0, 0}, {0, 1}, {1, 0}, {3, 3}, {3, 4}, {4, 3}};
    int[] y = {0, 0, 0, 1, 1, 1};
    var model = LogisticRegression.train(x, y, LogisticRegression.Settings.DEFAULTS, Map.of("seed", 7));
    assertThat(model.probability(new float[] {4, 4})).isGreaterThan(0.9);
    assertThat(model.probability(new float[] {0, 0})).isLessThan(0.1);
    var copy = LogisticRegression.fromJson(model.toJson());
    assertThat(copy.probability(new float[] {2, 2})).isCloseTo(model.probability(new float[] {2, 2}), within(1e-6));
    assertThat(copy.meta()).containsEntry("seed", 7);
  }
}
