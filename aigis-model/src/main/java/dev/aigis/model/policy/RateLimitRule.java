package dev.aigis.model.policy;

import java.math.BigDecimal;

/**
 * One RateLimitPolicy rule.
 *
 * @param name unique within its policy
 * @param key a CEL expression giving the bucket key (e.g. {@code identity.key}); null: one shared bucket
 * @param limit the volume per window
 * @param costExpression CEL over {@code usage} giving what one request costs; null: the unit's default
 *     (1 request; input + output tokens; the priced USD cost)
 * @param trafficMatcher a CEL predicate choosing the requests the rule counts; null: all
 * @param shadowMode count and report, never refuse
 */
public record RateLimitRule(
    String name, String key, Limit limit, String costExpression, String trafficMatcher, boolean shadowMode) {

  public enum Unit { REQUESTS, TOKENS, COST }

  public enum TimeUnit { Second, Minute, Hour, Day, Month }

  /** {@code volume} units per {@code timeValue} {@code timeUnit}s; COST volumes are USD. */
  public record Limit(Unit volumeUnits, BigDecimal volume, TimeUnit timeUnit, int timeValue) {
    public Limit {
      timeValue = timeValue <= 0 ? 1 : timeValue;
    }
  }
}
