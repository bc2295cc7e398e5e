package dev.aigis.core.guard.anomaly;

/**
 * What an identity's baseline tracks. Lengths, token counts and rates are compared on a log scale
 * (a prompt ten times the usual length is as unusual at 100 characters as at 10,000), the distance
 * as is. Every signal is one-sided: more than usual is anomalous, less never is.
 */
public enum Signal {

  /** Requests in the current rate window (by default a minute), against the identity's active windows. */
  RATE("rate", 0.3),
  /** Tokens a completed request used, reported after the response by {@link AnomalyDetector#observeUsage}. */
  TOKENS("tokens", 0.3),
  /** Characters of the prompt. */
  LENGTH("length", 0.3),
  /** 1 − cosine between the prompt's embedding and the centroid of the identity's earlier prompts. */
  DISTANCE("distance", 0.05);

  private final String label;
  private final double minStdDev;

  Signal(String label, double minStdDev) {
    this.label = label;
    this.minStdDev = minStdDev;
  }

  /** The name in verdicts and configuration: {@code rate}, {@code tokens}, {@code length}, {@code distance}. */
  public String label() {
    return label;
  }

  /**
   * The smallest standard deviation a z-score divides by, in the signal's own units (natural log
   * for the first three, so 0.3 is about a 35% change). Without it a perfectly steady baseline would
   * make any change infinitely unusual; with it, at the default threshold of 4, a steady identity
   * is flagged from about 3.3 times its usual rate, length or tokens, or 0.2 farther than its usual
   * distance.
   */
  public double minStdDev() {
    return minStdDev;
  }

  /** The signal with this {@link #label()}. */
  public static Signal of(String label) {
    for (Signal signal : values()) {
      if (signal.label.equals(label)) {
        return signal;
      }
    }
    throw new IllegalArgumentException("unknown anomaly signal '" + label + "' (rate, tokens, length, distance)");
  }
}
