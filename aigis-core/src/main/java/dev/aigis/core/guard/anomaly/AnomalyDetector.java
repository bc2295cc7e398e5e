package dev.aigis.core.guard.anomaly;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Flags requests that are unusual for who sends them: a burst of requests, a prompt much longer or
 * on a different subject than the identity's usual ones, a response far more expensive than usual.
 * Each identity (an opaque key: its name, or the client address when there is none) has a rolling
 * baseline of moving averages and variances, and each signal is a z-score against it: how many
 * standard deviations above the usual the observation is.
 *
 * <p>A signal says nothing until the key has {@link AnomalySettings#minHistory()} observations of
 * it, so a new identity is never flagged; a floor under the standard deviation
 * ({@link Signal#minStdDev()}) keeps a perfectly steady identity from being flagged for a small
 * change. Every observation is scored against the baseline as it was before, then added to it,
 * anomalous or not: an identity whose use grows for good becomes its own new normal.
 *
 * <p>Memory is bounded: at most {@link AnomalySettings#maxKeys()} identities, each about 2 KB with
 * 384-dimension embeddings, forgotten after {@link AnomalySettings#idleExpiry()} without a request.
 * Thread-safe; each call is a few microseconds of arithmetic (a 384-dimension dot product at
 * most), fine on any thread. Keys are never logged or reported.
 */
public final class AnomalyDetector {

  private final AnomalySettings settings;
  private final InstantSource clock;
  private final long windowMillis;
  private final Cache<String, Baseline> baselines;

  public AnomalyDetector(AnomalySettings settings, InstantSource clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.windowMillis = settings.rateWindow().toMillis();
    this.baselines = Caffeine.newBuilder()
        .maximumSize(settings.maxKeys())
        .expireAfterAccess(settings.idleExpiry())
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .executor(Runnable::run) // upkeep is a few map operations: do it inline, deterministically
        .build();
  }

  /**
   * Scores a request against its identity's baseline, then adds it.
   *
   * @param key the identity, or the client address when there is no identity
   * @param promptChars the prompt's length in characters
   * @param embeddingOrNull the prompt's unit-length embedding, or null when it was not embedded
   *     (then the distance signal neither scores nor learns)
   */
  public AnomalyVerdict observeRequest(String key, int promptChars, float[] embeddingOrNull) {
    long window = Math.floorDiv(clock.millis(), windowMillis);
    double[] z = baseline(key).request(window, promptChars, embeddingOrNull, settings.minHistory());
    return verdict(z);
  }

  /**
   * Scores the tokens a completed request used against its identity's usual, then adds them. Known
   * only after the response, so the verdict can be recorded (audit, metrics) or weighed against the
   * identity's next requests, not stop this one.
   */
  public AnomalyVerdict observeUsage(String key, long tokens) {
    double[] z = new double[Signal.values().length];
    Arrays.fill(z, Double.NaN);
    z[Signal.TOKENS.ordinal()] = baseline(key).usage(tokens, settings.minHistory());
    return verdict(z);
  }

  /** Identities currently tracked, after pending evictions. */
  public long trackedKeys() {
    baselines.cleanUp();
    return baselines.estimatedSize();
  }

  private Baseline baseline(String key) {
    return baselines.get(Objects.requireNonNull(key, "key"), k -> new Baseline(settings.smoothing()));
  }

  private AnomalyVerdict verdict(double[] z) {
    double max = Double.NaN;
    List<String> fired = new ArrayList<>(2);
    for (Signal signal : Signal.values()) {
      double value = z[signal.ordinal()];
      if (Double.isNaN(value) || !settings.signals().contains(signal)) {
        continue;
      }
      max = Double.isNaN(max) ? value : Math.max(max, value);
      if (value >= settings.zThreshold()) {
        fired.add(String.format(Locale.ROOT, "%s:z=%.1f", signal.label(), value));
      }
    }
    if (Double.isNaN(max) || (max <= 0 && fired.isEmpty())) {
      return AnomalyVerdict.NONE;
    }
    return new AnomalyVerdict(!fired.isEmpty(), max, fired);
  }
}
