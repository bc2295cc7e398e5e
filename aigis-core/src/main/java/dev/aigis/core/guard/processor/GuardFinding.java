package dev.aigis.core.guard.processor;

import java.util.List;

/**
 * What one guard found in one exchange, for the response header, the log and the audit record.
 *
 * @param guard {@code injection}, {@code pii}, {@code output} or {@code anomaly}
 * @param decision {@code blocked}, {@code throttled}, {@code flagged}, {@code logged} or {@code redacted}
 * @param signals what fired (rule ids, {@code classifier}, entity types, baselines); never text
 */
public record GuardFinding(String guard, String decision, List<String> signals) {
  public GuardFinding {
    signals = List.copyOf(signals);
  }
}
