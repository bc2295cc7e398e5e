package dev.aigis.core.guard.anomaly;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * How an {@link AnomalyDetector} learns and decides.
 *
 * @param signals the signals that can make a request anomalous (all are still tracked)
 * @param minHistory observations of a signal a key needs before that signal says anything (rate
 *     windows for {@link Signal#RATE}, completed requests for {@link Signal#TOKENS}, prompts for
 *     the others)
 * @param zThreshold a signal fires at or above this many standard deviations over the mean
 * @param smoothing the weight of a new observation in the moving averages (0.05: the last ~40
 *     observations dominate); until a signal has {@code 1/smoothing} observations plain averages
 *     are used, so early observations do not weigh more than later ones
 * @param rateWindow the window requests are counted in for {@link Signal#RATE}
 * @param maxKeys the most identities tracked; the least recently seen beyond it are forgotten
 * @param idleExpiry an identity not seen for this long is forgotten and starts over
 */
public record AnomalySettings(
    Set<Signal> signals, int minHistory, double zThreshold, double smoothing, Duration rateWindow,
    int maxKeys, Duration idleExpiry) {

  public AnomalySettings {
    signals = signals.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(signals));
    if (minHistory < 2) {
      throw new IllegalArgumentException("minHistory must be at least 2, got " + minHistory);
    }
    if (!(zThreshold > 0)) {
      throw new IllegalArgumentException("zThreshold must be positive, got " + zThreshold);
    }
    if (!(smoothing > 0 && smoothing <= 1)) {
      throw new IllegalArgumentException("smoothing must be in (0, 1], got " + smoothing);
    }
    if (rateWindow.toMillis() < 1000) {
      throw new IllegalArgumentException("rateWindow must be at least 1s, got " + rateWindow);
    }
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1, got " + maxKeys);
    }
    if (idleExpiry.isNegative() || idleExpiry.isZero()) {
      throw new IllegalArgumentException("idleExpiry must be positive, got " + idleExpiry);
    }
  }

  /** All signals, 20 observations, z ≥ 4, smoothing 0.05, one-minute windows, 10,000 keys idle for at most a day. */
  public static AnomalySettings defaults() {
    return new AnomalySettings(EnumSet.allOf(Signal.class), 20, 4.0, 0.05, Duration.ofMinutes(1), 10_000,
        Duration.ofDays(1));
  }

  public AnomalySettings withSignals(Set<Signal> signals) {
    return new AnomalySettings(signals, minHistory, zThreshold, smoothing, rateWindow, maxKeys, idleExpiry);
  }

  public AnomalySettings withMinHistory(int minHistory) {
    return new AnomalySettings(signals, minHistory, zThreshold, smoothing, rateWindow, maxKeys, idleExpiry);
  }

  public AnomalySettings withZThreshold(double zThreshold) {
    return new AnomalySettings(signals, minHistory, zThreshold, smoothing, rateWindow, maxKeys, idleExpiry);
  }

  public AnomalySettings withSmoothing(double smoothing) {
    return new AnomalySettings(signals, minHistory, zThreshold, smoothing, rateWindow, maxKeys, idleExpiry);
  }

  public AnomalySettings withRateWindow(Duration rateWindow) {
    return new AnomalySettings(signals, minHistory, zThreshold, smoothing, rateWindow, maxKeys, idleExpiry);
  }

  public AnomalySettings withMaxKeys(int maxKeys) {
    return new AnomalySettings(signals, minHistory, zThreshold, smoothing, rateWindow, maxKeys, idleExpiry);
  }

  public AnomalySettings withIdleExpiry(Duration idleExpiry) {
    return new AnomalySettings(signals, minHistory, zThreshold, smoothing, rateWindow, maxKeys, idleExpiry);
  }
}
