package dev.aigis.core.guard.anomaly;

import java.util.Arrays;

/**
 * One identity's usual behaviour. Each observation is scored against the baseline as it stood
 * before, then added to it. Thread-safe: requests of one identity may run on several workers.
 *
 * <p>The rate counts only windows in which the identity sent something: a person who works in
 * bursts and is idle overnight would otherwise have a usual rate near zero, and every working
 * minute would look like an attack.
 */
final class Baseline {

  private final double smoothing;
  private final Ewma rate;
  private final Ewma tokens;
  private final Ewma length;
  private final Ewma distance;
  private long window = Long.MIN_VALUE;
  private int inWindow;
  private float[] centroid;
  private long embedded;

  Baseline(double smoothing) {
    this.smoothing = smoothing;
    this.rate = new Ewma(smoothing);
    this.tokens = new Ewma(smoothing);
    this.length = new Ewma(smoothing);
    this.distance = new Ewma(smoothing);
  }

  /**
   * Scores a request, then learns from it.
   *
   * @param window the index of the rate window the request falls in
   * @param embedding a unit vector, or null when the prompt was not embedded
   * @return z-scores by {@link Signal#ordinal()}, NaN where a signal has fewer than
   *     {@code minHistory} observations or was not observed
   */
  synchronized double[] request(long window, int chars, float[] embedding, int minHistory) {
    double[] z = new double[Signal.values().length];
    Arrays.fill(z, Double.NaN);
    if (window > this.window) { // a clock that steps back stays in the current window
      if (inWindow > 0) {
        rate.add(Math.log1p(inWindow));
      }
      this.window = window;
      inWindow = 0;
    }
    inWindow++;
    z[Signal.RATE.ordinal()] = score(rate, Math.log1p(inWindow), Signal.RATE, minHistory);

    double logChars = Math.log1p(Math.max(0, chars));
    z[Signal.LENGTH.ordinal()] = score(length, logChars, Signal.LENGTH, minHistory);
    length.add(logChars);

    if (embedding != null) {
      learnEmbedding(embedding, z, minHistory);
    }
    return z;
  }

  /** Scores a completed request's token count, then learns from it; NaN without enough history. */
  synchronized double usage(long used, int minHistory) {
    double logTokens = Math.log1p(Math.max(0, used));
    double z = score(tokens, logTokens, Signal.TOKENS, minHistory);
    tokens.add(logTokens);
    return z;
  }

  private void learnEmbedding(float[] embedding, double[] z, int minHistory) {
    if (!finite(embedding)) {
      return; // a broken vector must not poison the centroid for good
    }
    if (centroid == null) {
      centroid = embedding.clone();
      embedded = 1;
      return;
    }
    if (embedding.length != centroid.length) {
      throw new IllegalArgumentException(
          "embedding has " + embedding.length + " dimensions, the baseline " + centroid.length);
    }
    double d = distance(centroid, embedding);
    z[Signal.DISTANCE.ordinal()] = score(distance, d, Signal.DISTANCE, minHistory);
    distance.add(d);
    embedded++;
    float weight = (float) Math.max(smoothing, 1.0 / embedded);
    for (int i = 0; i < centroid.length; i++) {
      centroid[i] += weight * (embedding[i] - centroid[i]);
    }
  }

  private static boolean finite(float[] vector) {
    for (float value : vector) {
      if (!Float.isFinite(value)) {
        return false;
      }
    }
    return true;
  }

  private static double score(Ewma stats, double x, Signal signal, int minHistory) {
    return stats.count() >= minHistory ? stats.z(x, signal.minStdDev()) : Double.NaN;
  }

  /** 1 − cosine; the centroid of unit vectors is shorter than one, so both are normalised here. */
  static double distance(float[] centroid, float[] vector) {
    double dot = 0;
    double centroidNorm = 0;
    double vectorNorm = 0;
    for (int i = 0; i < centroid.length; i++) {
      dot += (double) centroid[i] * vector[i];
      centroidNorm += (double) centroid[i] * centroid[i];
      vectorNorm += (double) vector[i] * vector[i];
    }
    if (centroidNorm == 0 || vectorNorm == 0) {
      return 1;
    }
    return 1 - dot / Math.sqrt(centroidNorm * vectorNorm);
  }
}
