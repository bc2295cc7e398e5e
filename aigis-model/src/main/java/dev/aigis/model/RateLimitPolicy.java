package dev.aigis.model;

import dev.aigis.model.policy.RateLimitRule;
import dev.aigis.model.policy.RateLimitStoreSpec;
import dev.aigis.model.processing.TargetRef;
import java.util.List;

/**
 * aigis.dev/v1alpha1 RateLimitPolicy, in the shape of the AI Gateway WG's XRateLimitPolicy draft:
 * request, token and USD-cost limits attached to a Gateway or an HTTPRoute. Every matching rule is
 * charged; a request is refused when any matching rule's bucket is exhausted.
 *
 * @param failureMode what happens while the store cannot be reached
 * @param emitRateLimitResponseHeaders whether responses carry the IETF RateLimit headers
 * @param store where counters live; {@link RateLimitStoreSpec#MEMORY} when omitted
 */
public record RateLimitPolicy(
    ObjectMeta metadata,
    SourceRef source,
    TargetRef targetRef,
    StoreFailureMode failureMode,
    HeaderMode emitRateLimitResponseHeaders,
    RateLimitStoreSpec store,
    List<RateLimitRule> rules) implements Resource {

  public static final String API_VERSION = "aigis.dev/v1alpha1";
  public static final String KIND = "RateLimitPolicy";

  /** FailOpen: a local in-memory fallback and a metric; FailClosed: 503. */
  public enum StoreFailureMode { FailOpen, FailClosed }

  /** {@code DRAFT-3}: IETF draft-ietf-httpapi-ratelimit-headers-03 ({@code RateLimit-Limit}, {@code -Remaining}, {@code -Reset}). */
  public enum HeaderMode { DRAFT_3, Disabled }

  public RateLimitPolicy {
    failureMode = failureMode == null ? StoreFailureMode.FailOpen : failureMode;
    emitRateLimitResponseHeaders = emitRateLimitResponseHeaders == null ? HeaderMode.DRAFT_3 : emitRateLimitResponseHeaders;
    store = store == null ? RateLimitStoreSpec.MEMORY : store;
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  @Override
  public String kind() {
    return KIND;
  }
}
