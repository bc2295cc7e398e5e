package dev.aigis.model.snapshot;

import dev.aigis.model.AccessPolicy;
import dev.aigis.model.ConfigError;
import dev.aigis.model.Gateway;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.RateLimitPolicy;
import dev.aigis.model.Resource;
import dev.aigis.model.processing.TargetRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * At most one AccessPolicy and one RateLimitPolicy per Gateway or HTTPRoute: when several of a kind
 * target the same one, the oldest applies ({@link ProcessorConflicts#olderFirst}) and the others are
 * left out with a warning, as PayloadProcessors are, so that a second policy applied to a busy
 * Gateway cannot take the whole configuration down.
 */
final class PolicyConflicts {

  private final Set<Resource> losers = Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<ConfigError> warnings = new ArrayList<>();

  /** @param resources in load order, without duplicates */
  PolicyConflicts(Iterable<Resource> resources) {
    Map<String, List<Resource>> byTarget = new LinkedHashMap<>();
    for (Resource resource : resources) {
      TargetRef target = target(resource);
      if (attaches(target)) {
        String key = resource.kind() + "/" + target.kind() + "/" + resource.metadata().namespace() + "/" + target.name();
        byTarget.computeIfAbsent(key, k -> new ArrayList<>()).add(resource);
      }
    }
    Map<Resource, String> reasons = new IdentityHashMap<>();
    for (List<Resource> contenders : byTarget.values()) {
      contenders.sort(ProcessorConflicts.olderFirst());
      Resource winner = contenders.getFirst();
      TargetRef target = target(winner);
      for (Resource loser : contenders.subList(1, contenders.size())) {
        losers.add(loser);
        reasons.put(loser, "conflicts with " + winner.kind() + " " + winner.metadata().qualifiedName() + " on "
            + target.kind() + " " + winner.metadata().namespace() + "/" + target.name() + "; the older one applies");
      }
    }
    for (Resource resource : resources) {
      if (losers.contains(resource)) {
        warnings.add(ConfigError.at(resource, "spec.targetRef", reasons.get(resource)));
      }
    }
  }

  /** Whether {@code policy} lost a conflict and stays out of the snapshot. */
  boolean leftOut(Resource policy) {
    return losers.contains(policy);
  }

  /** One per loser, in load order. */
  List<ConfigError> warnings() {
    return warnings;
  }

  private static TargetRef target(Resource resource) {
    return switch (resource) {
      case AccessPolicy policy -> policy.targetRef();
      case RateLimitPolicy policy -> policy.targetRef();
      default -> null;
    };
  }

  /** Only a well-formed attachment can conflict; a malformed one is an error of its own. */
  private static boolean attaches(TargetRef target) {
    return target != null && target.name() != null
        && Objects.requireNonNullElse(target.group(), ProcessorConflicts.GATEWAY_GROUP).equals(ProcessorConflicts.GATEWAY_GROUP)
        && (Gateway.KIND.equals(target.kind()) || HttpRoute.KIND.equals(target.kind()));
  }
}
