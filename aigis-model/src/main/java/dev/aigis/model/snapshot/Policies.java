package dev.aigis.model.snapshot;

import dev.aigis.model.AccessPolicy;
import dev.aigis.model.RateLimitPolicy;
import dev.aigis.model.policy.ApiKey;
import dev.aigis.model.policy.ModelPrice;
import java.util.List;
import java.util.Optional;

/**
 * The identity and limit configuration of a snapshot, validated: every policy's {@code targetRef}
 * names a Gateway or HTTPRoute of the snapshot, and at most one policy of each kind attaches to one
 * target (a later one is left out with a warning).
 *
 * @param accessPolicies accepted AccessPolicies, in load order
 * @param rateLimitPolicies accepted RateLimitPolicies, in load order
 * @param apiKeys every API key Secret's key
 * @param prices PriceCatalog entries, overriding the shipped catalogue, in load order
 */
public record Policies(
    List<AccessPolicy> accessPolicies, List<RateLimitPolicy> rateLimitPolicies, List<ApiKey> apiKeys,
    List<ModelPrice> prices) {

  public static final Policies NONE = new Policies(List.of(), List.of(), List.of(), List.of());

  public Policies {
    accessPolicies = List.copyOf(accessPolicies);
    rateLimitPolicies = List.copyOf(rateLimitPolicies);
    apiKeys = List.copyOf(apiKeys);
    prices = List.copyOf(prices);
  }

  /** The AccessPolicy attached to the {@code kind} (Gateway or HTTPRoute) {@code namespace/name}. */
  public Optional<AccessPolicy> access(String kind, String namespace, String name) {
    return accessPolicies.stream().filter(p -> attached(p.targetRef(), p.metadata(), kind, namespace, name)).findFirst();
  }

  /** The RateLimitPolicy attached to the {@code kind} (Gateway or HTTPRoute) {@code namespace/name}. */
  public Optional<RateLimitPolicy> rateLimit(String kind, String namespace, String name) {
    return rateLimitPolicies.stream().filter(p -> attached(p.targetRef(), p.metadata(), kind, namespace, name)).findFirst();
  }

  private static boolean attached(dev.aigis.model.processing.TargetRef ref, dev.aigis.model.ObjectMeta meta,
      String kind, String namespace, String name) {
    return ref != null && kind.equals(ref.kind()) && name.equals(ref.name()) && namespace.equals(meta.namespace());
  }
}
