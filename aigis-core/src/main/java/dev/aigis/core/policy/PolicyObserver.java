package dev.aigis.core.policy;

/**
 * What the policy processors report, for metrics. Labels are policy and rule names from the
 * configuration, never a caller's key, team or model as sent.
 */
public interface PolicyObserver {

  PolicyObserver NONE = new PolicyObserver() {};

  /** An AccessPolicy decided: {@code allowed}, {@code denied} or {@code unauthenticated}. */
  default void access(String policy, String decision) {}

  /** A RateLimitPolicy rule decided: {@code admitted}, {@code limited} or {@code shadow_limited}. */
  default void rateLimit(String policy, String rule, String decision) {}

  /** A rule's key expression failed, so the request was counted in the rule's shared bucket. */
  default void keyFailed(String policy, String rule) {}
}
