package dev.aigis.core.cache;

import dev.aigis.core.embedding.Embedder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Chooses the {@link ParaphraseCheck}'s values ({@code aigis cache train}): a grid search for the
 * check with the highest hit rate whose hit precision meets the target with 95 % confidence. Its figures are
 * cross-validated: folds stratified by label and seeded, the check chosen on the other folds and
 * applied to each, so every pair's outcome comes from a check that never saw it. The shipped check
 * is then chosen on all pairs. Deterministic for a given file, target, folds and seed.
 */
public final class ParaphraseTrainer {

  /**
   * @param check chosen on every pair
   * @param outOfFold each pair's outcome under the check chosen without its fold
   */
  public record Trained(ParaphraseCheck check, List<ParaphraseEvaluation.Outcome> outOfFold) {}

  /** @param targetPrecision the least lower bound (95 % Wilson) of hit precision a chosen check must have */
  public record Settings(double targetPrecision, int folds, long seed) {
    public static final Settings DEFAULTS = new Settings(0.95, 5, 13);
  }

  private ParaphraseTrainer() {}

  /** @param vectors {@code a} and {@code b} of each pair in turn, unit length */
  public static Trained train(List<ParaphraseEvaluation.Pair> pairs, List<float[]> vectors, Settings settings) {
    int n = pairs.size();
    double[] cosine = new double[n];
    ParaphraseFeatures[] features = new ParaphraseFeatures[n];
    int[] label = new int[n];
    for (int i = 0; i < n; i++) {
      cosine[i] = Embedder.cosine(vectors.get(2 * i), vectors.get(2 * i + 1));
      features[i] = ParaphraseFeatures.of(pairs.get(i).a(), pairs.get(i).b());
      label[i] = pairs.get(i).label();
    }
    int[] fold = folds(label, settings.folds(), settings.seed());
    boolean[] hit = new boolean[n];
    for (int f = 0; f < settings.folds(); f++) {
      boolean[] chosen = new boolean[n];
      for (int i = 0; i < n; i++) {
        chosen[i] = fold[i] != f;
      }
      ParaphraseCheck check = best(cosine, features, label, chosen, settings.targetPrecision());
      for (int i = 0; i < n; i++) {
        if (fold[i] == f) {
          hit[i] = check.accepts(features[i], cosine[i]);
        }
      }
    }
    boolean[] all = new boolean[n];
    java.util.Arrays.fill(all, true);
    ParaphraseCheck shipped = best(cosine, features, label, all, settings.targetPrecision());
    List<ParaphraseEvaluation.Outcome> outcomes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      outcomes.add(new ParaphraseEvaluation.Outcome(pairs.get(i), hit[i], cosine[i]));
    }
    return new Trained(shipped, outcomes);
  }

  /**
   * The grid's check with the most hits among {@code rows} whose hit precision is at least
   * {@code target} with 95 % confidence (the Wilson interval's lower bound, so a check that is
   * precise by luck on few hits is not chosen; ties: the first in grid order). The rules' shape is
   * fixed (shared words in order, no content word swapped in a near-duplicate of half its words or
   * more, same numbers), as exploring the dev pairs suggested; the grid sets the similarity floor.
   */
  static ParaphraseCheck best(double[] cosine, ParaphraseFeatures[] features, int[] label, boolean[] rows,
      double target) {
    ParaphraseCheck best = null;
    int bestHits = -1;
    for (int s = 85; s <= 97; s++) {
      {
        ParaphraseCheck check = new ParaphraseCheck(s / 100.0, 1.0, 0.5, 0);
        int hits = 0;
        int correct = 0;
        for (int i = 0; i < cosine.length; i++) {
          if (rows[i] && check.accepts(features[i], cosine[i])) {
            hits++;
            correct += label[i];
          }
        }
        if (hits > bestHits && wilsonLower(correct, hits) >= target) {
          best = check;
          bestHits = hits;
        }
      }
    }
    return best != null ? best : new ParaphraseCheck(1.0, 1.0, 0.0, 0);
  }

  /** The lower bound of the 95 % Wilson score interval of {@code k} successes in {@code n}. */
  static double wilsonLower(int k, int n) {
    if (n == 0) {
      return 0;
    }
    double z = 1.96;
    double p = (double) k / n;
    double denominator = 1 + z * z / n;
    double centre = p + z * z / (2.0 * n);
    double margin = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
    return (centre - margin) / denominator;
  }

  /** Stratified folds: each label's rows shuffled with the seed and dealt round-robin. */
  static int[] folds(int[] label, int folds, long seed) {
    int[] fold = new int[label.length];
    Random random = new Random(seed);
    for (int value = 0; value <= 1; value++) {
      List<Integer> rows = new ArrayList<>();
      for (int k = 0; k < label.length; k++) {
        if (label[k] == value) {
          rows.add(k);
        }
      }
      Collections.shuffle(rows, random);
      for (int r = 0; r < rows.size(); r++) {
        fold[rows.get(r)] = r % folds;
      }
    }
    return fold;
  }
}
