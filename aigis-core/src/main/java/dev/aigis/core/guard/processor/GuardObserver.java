package dev.aigis.core.guard.processor;

/**
 * Where guard decisions are counted (the data plane binds it to Micrometer). Labels are the
 * configured policy name and fixed words, never anything a client chose.
 */
public interface GuardObserver {

  GuardObserver NONE = (policy, guard, decision) -> { };

  /**
   * @param guard {@code injection}, {@code pii}, {@code output} or {@code anomaly}
   * @param decision {@code blocked}, {@code throttled}, {@code flagged}, {@code logged}, {@code redacted} or {@code passed}
   */
  void decided(String policy, String guard, String decision);
}
