package dev.aigis.core.guard.anomaly;

import java.util.List;

/**
 * How unusual one observation was for its identity.
 *
 * @param anomalous whether any counted signal reached the threshold
 * @param maxZ the largest z-score among the counted signals that had enough history (0 when none
 *     had, or none was above the mean)
 * @param signals the signals that fired, as {@code label:z=6.1}; never a prompt or a key
 */
public record AnomalyVerdict(boolean anomalous, double maxZ, List<String> signals) {

  /** Nothing to say: no signal had enough history, or none was above its mean. */
  public static final AnomalyVerdict NONE = new AnomalyVerdict(false, 0, List.of());

  public AnomalyVerdict {
    signals = List.copyOf(signals);
  }
}
