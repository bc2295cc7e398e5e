package dev.aigis.model;

import dev.aigis.model.policy.AccessRule;
import dev.aigis.model.policy.Authentication;
import dev.aigis.model.processing.TargetRef;
import java.util.List;

/**
 * aigis.dev/v1alpha1 AccessPolicy: which credentials a Gateway or an HTTPRoute accepts and which
 * identities may call which models. Rules are tried in order; the first whose {@code from} and
 * {@code models} both match decides; when none matches the request is denied.
 */
public record AccessPolicy(
    ObjectMeta metadata, SourceRef source, TargetRef targetRef, Authentication authentication, List<AccessRule> rules)
    implements Resource {

  public static final String API_VERSION = "aigis.dev/v1alpha1";
  public static final String KIND = "AccessPolicy";

  public AccessPolicy {
    authentication = authentication == null ? Authentication.NONE : authentication;
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  @Override
  public String kind() {
    return KIND;
  }
}
