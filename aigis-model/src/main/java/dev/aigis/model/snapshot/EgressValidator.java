package dev.aigis.model.snapshot;

import dev.aigis.model.AIBackend;
import dev.aigis.model.EgressPolicy;
import dev.aigis.model.Gateway;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.Resource;
import dev.aigis.model.XBackend;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.processing.TargetRef;
import dev.aigis.model.route.BackendRef;
import dev.aigis.model.route.ParentRef;
import dev.aigis.model.route.RouteRule;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks EgressPolicies (one per Gateway, targeting a Gateway that exists) and that every backend
 * reachable from a Gateway with a policy goes to an allowed hostname: an XBackend's
 * {@code externalHostname.hostname}, or the host of an AIBackend's {@code endpoint}. A refused host
 * is reported once per backend and policy, on the field that names it.
 */
final class EgressValidator {

  private final ResourceIndex index;
  private final Problems problems;
  /** Gateway {@code namespace/name} → its policy. */
  private final Map<String, EgressPolicy> byGateway = new HashMap<>();
  private final Set<String> reported = new HashSet<>();

  EgressValidator(ResourceIndex index, Problems problems) {
    this.index = index;
    this.problems = problems;
  }

  void policy(EgressPolicy policy) {
    TargetRef target = policy.targetRef();
    if (target == null) {
      return;
    }
    if (target.group() != null && !target.group().equals(ProcessorConflicts.GATEWAY_GROUP)) {
      problems.at(policy, "spec.targetRef.group", "must be " + ProcessorConflicts.GATEWAY_GROUP + " (got \"" + target.group() + "\")");
      return;
    }
    if (!Gateway.KIND.equals(target.kind())) {
      problems.at(policy, "spec.targetRef.kind", "must be Gateway (got \"" + target.kind() + "\")");
      return;
    }
    String namespace = policy.metadata().namespace();
    if (index.gateway(namespace, target.name()) == null) {
      problems.notFound(policy, "spec.targetRef.name", Gateway.KIND, namespace, target.name());
      return;
    }
    EgressPolicy first = byGateway.putIfAbsent(namespace + "/" + target.name(), policy);
    if (first != null) {
      problems.at(policy, "spec.targetRef.name", "Gateway " + namespace + "/" + target.name()
          + " already has EgressPolicy " + first.metadata().qualifiedName() + " (" + first.source()
          + "); list every allowed hostname in one policy");
    }
  }

  /** Call after every policy has been seen. */
  void route(HttpRoute route) {
    for (ParentRef parent : route.parentRefs()) {
      String namespace = parent.namespace() == null ? route.metadata().namespace() : parent.namespace();
      EgressPolicy policy = byGateway.get(namespace + "/" + parent.name());
      if (policy == null) {
        continue;
      }
      for (RouteRule rule : route.rules()) {
        for (BackendRef ref : rule.backendRefs()) {
          backend(route, ref, policy);
        }
      }
    }
  }

  private void backend(HttpRoute route, BackendRef ref, EgressPolicy policy) {
    String namespace = ref.namespace() == null ? route.metadata().namespace() : ref.namespace();
    if (XBackend.KIND.equals(ref.kind())) {
      XBackend xbackend = index.xbackend(namespace, ref.name());
      if (xbackend != null) {
        check(xbackend, "spec.externalHostname.hostname", xbackend.hostname(), policy, route);
      }
      return;
    }
    AIBackend backend = index.backend(namespace, ref.name());
    if (backend == null) {
      return;
    }
    if (backend.backendRef() != null) {
      XBackend xbackend = index.xbackend(namespace, backend.backendRef().name());
      if (xbackend != null) {
        check(xbackend, "spec.externalHostname.hostname", xbackend.hostname(), policy, route);
      }
    } else if (backend.endpoint() instanceof BackendEndpoint.Url url) {
      check(backend, "spec.endpoint", url.host(), policy, route);
    }
  }

  private void check(Resource backend, String field, String host, EgressPolicy policy, HttpRoute route) {
    if (policy.allows(host) || !reported.add(backend.displayName() + "|" + policy.metadata().qualifiedName())) {
      return;
    }
    problems.at(backend, field, "hostname " + host + " is not allowed by EgressPolicy "
        + policy.metadata().qualifiedName() + " of Gateway " + policy.metadata().namespace() + "/"
        + policy.targetRef().name() + " (allowed: " + String.join(", ", policy.allowedHostnames())
        + "), and HTTPRoute " + route.metadata().qualifiedName() + " sends requests to it");
  }

  /** The policies by Gateway, for the data plane's request-time check. */
  Map<String, List<String>> allowedHostnames() {
    Map<String, List<String>> out = new HashMap<>();
    byGateway.forEach((gateway, policy) -> out.put(gateway, policy.allowedHostnames()));
    return out;
  }
}
