package dev.aigis.core.guard.processor;

import java.util.List;

/** Per-caller anomaly detection as the Guardrail processor needs it. Blocking; thread-safe. */
public interface AnomalyGate {

  /** Scores a request against its caller's baseline, then adds it to the baseline. */
  Result observe(String caller, String prompt);

  /** Adds a finished exchange's token count to its caller's baseline. */
  void usage(String caller, long tokens);

  /** @param signals the baselines that were left, such as {@code rate:z=6.2}; never text */
  record Result(boolean anomalous, List<String> signals) {
    public static final Result NORMAL = new Result(false, List.of());

    public Result {
      signals = List.copyOf(signals);
    }
  }
}
