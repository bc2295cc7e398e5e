package dev.aigis.server.metrics;

import dev.aigis.core.guard.processor.GuardObserver;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Guardrail decisions as metrics: {@code aigis_guardrail_decisions_total{policy, guard, decision}}.
 * The policy is the processor's configured name and guard and decision are closed sets, so no
 * client-chosen string becomes a label; the family is capped like the gateway's others.
 */
public final class GuardMetrics implements GuardObserver {

  private final CappedCounters counters;

  public GuardMetrics(MeterRegistry registry) {
    this.counters = new CappedCounters(registry);
  }

  @Override
  public void decided(String policy, String guard, String decision) {
    counters.counter("aigis_guardrail_decisions", "Guardrail decisions by policy, guard and decision",
        "policy", policy, "guard", guard, "decision", decision).increment();
  }
}
