package dev.aigis.model.snapshot;

import dev.aigis.model.AccessPolicy;
import dev.aigis.model.ConfigError;
import dev.aigis.model.Gateway;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.PriceCatalog;
import dev.aigis.model.RateLimitPolicy;
import dev.aigis.model.Resource;
import dev.aigis.model.Secret;
import dev.aigis.model.policy.ModelPrice;
import dev.aigis.model.processing.TargetRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Compiles the identity and limit resources into {@link Policies}: each policy's target resolves, at
 * most one policy of a kind per target ({@link PolicyConflicts}), a Redis password Secret exists, API
 * key Secrets become keys ({@link ApiKeyCollector}) and PriceCatalogs are concatenated. Field rules
 * were checked by the loader. CEL is compiled by the server, which reports on the same field paths.
 * Fed in load order by {@link SnapshotCompiler}; one per compilation.
 */
final class PolicyValidator {

  /** The key of a {@code passwordSecret} Secret that holds the Redis password. */
  static final String REDIS_PASSWORD_KEY = "password";

  private final ResourceIndex index;
  private final Problems problems;
  private final PolicyConflicts conflicts;
  private final ApiKeyCollector apiKeys;
  private final List<AccessPolicy> accessPolicies = new ArrayList<>();
  private final List<RateLimitPolicy> rateLimitPolicies = new ArrayList<>();
  private final List<ModelPrice> prices = new ArrayList<>();

  PolicyValidator(ResourceIndex index, Problems problems) {
    this.index = index;
    this.problems = problems;
    this.conflicts = new PolicyConflicts(index.all());
    this.apiKeys = new ApiKeyCollector(problems);
  }

  void access(AccessPolicy policy) {
    targetRef(policy, policy.targetRef());
    if (!conflicts.leftOut(policy)) {
      accessPolicies.add(policy);
    }
  }

  void rateLimit(RateLimitPolicy policy) {
    targetRef(policy, policy.targetRef());
    String passwordSecret = policy.store().passwordSecret();
    if (passwordSecret != null) {
      redisPassword(policy, passwordSecret);
    }
    if (!conflicts.leftOut(policy)) {
      rateLimitPolicies.add(policy);
    }
  }

  void prices(PriceCatalog catalog) {
    prices.addAll(catalog.prices());
  }

  void secret(Secret secret) {
    apiKeys.add(secret);
  }

  Policies policies() {
    return new Policies(accessPolicies, rateLimitPolicies, apiKeys.keys(), prices);
  }

  /** Policies left out for a conflict, in load order. */
  List<ConfigError> warnings() {
    return conflicts.warnings();
  }

  /** As for PayloadProcessors: an omitted group is Gateway API's; the target is in the policy's namespace. */
  private void targetRef(Resource policy, TargetRef target) {
    if (target == null) {
      return; // the loader requires it
    }
    String group = Objects.requireNonNullElse(target.group(), ProcessorConflicts.GATEWAY_GROUP);
    if (!group.equals(ProcessorConflicts.GATEWAY_GROUP)) {
      problems.at(policy, "spec.targetRef.group", "must be " + ProcessorConflicts.GATEWAY_GROUP + " (got \"" + group + "\")");
      return;
    }
    if (!Gateway.KIND.equals(target.kind()) && !HttpRoute.KIND.equals(target.kind())) {
      problems.at(policy, "spec.targetRef.kind", "must be Gateway or HTTPRoute (got \"" + target.kind() + "\")");
      return;
    }
    String namespace = policy.metadata().namespace();
    Resource found = Gateway.KIND.equals(target.kind())
        ? index.gateway(namespace, target.name())
        : index.route(namespace, target.name());
    if (found == null) {
      problems.notFound(policy, "spec.targetRef.name", target.kind(), namespace, target.name());
    }
  }

  private void redisPassword(RateLimitPolicy policy, String name) {
    String path = "spec.store.redis.passwordSecret";
    String namespace = policy.metadata().namespace();
    Secret secret = index.secret(namespace, name);
    if (secret == null) {
      problems.notFound(policy, path, "Secret", namespace, name);
      return;
    }
    byte[] password = secret.data().get(REDIS_PASSWORD_KEY);
    if (password == null) {
      problems.at(policy, path, "Secret " + secret.metadata().qualifiedName() + " has no key \"" + REDIS_PASSWORD_KEY + "\"");
    } else if (password.length == 0) {
      problems.at(policy, path,
          "key \"" + REDIS_PASSWORD_KEY + "\" of Secret " + secret.metadata().qualifiedName() + " is empty");
    }
  }
}
