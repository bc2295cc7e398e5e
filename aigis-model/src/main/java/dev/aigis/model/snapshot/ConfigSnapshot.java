package dev.aigis.model.snapshot;

import dev.aigis.model.ConfigError;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.PayloadProcessor;
import dev.aigis.model.Resource;
import dev.aigis.model.processing.ProcessorPhase;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated, immutable configuration: what the data plane serves. Built only by the snapshot
 * compiler, swapped atomically on reload.
 *
 * @param listeners every listener of every Gateway, with TLS material resolved
 * @param routes accepted HTTPRoutes in load order (the order breaks precedence ties after creation time)
 * @param backends resolved AIBackends keyed by {@code namespace/name}, and the backend implied by each XBackend an
 *     HTTPRoute names directly, keyed {@code namespace/xbackend/name} ({@link dev.aigis.model.route.BackendRef#key})
 * @param payloadProcessors PayloadProcessors in load order, without those that lost a target conflict;
 *     every {@code ExtensionRef} filter of {@code routes} resolves to one of them
 * @param resources everything that was loaded, for {@code validate} output and debugging
 * @param warnings problems that did not stop compilation (such as a PayloadProcessor that lost a
 *     conflict), in the same format as errors
 * @param policies AccessPolicies, RateLimitPolicies, API keys and prices
 */
public record ConfigSnapshot(
    List<BoundListener> listeners,
    List<HttpRoute> routes,
    Map<String, ResolvedBackend> backends,
    List<PayloadProcessor> payloadProcessors,
    List<Resource> resources,
    List<ConfigError> warnings,
    Policies policies) {

  public ConfigSnapshot {
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
    backends = Map.copyOf(backends);
    payloadProcessors = List.copyOf(payloadProcessors);
    resources = List.copyOf(resources);
    warnings = List.copyOf(warnings);
    policies = policies == null ? Policies.NONE : policies;
  }

  /** Without policies. */
  public ConfigSnapshot(List<BoundListener> listeners, List<HttpRoute> routes, Map<String, ResolvedBackend> backends,
      List<PayloadProcessor> payloadProcessors, List<Resource> resources, List<ConfigError> warnings) {
    this(listeners, routes, backends, payloadProcessors, resources, warnings, Policies.NONE);
  }

  /** Without PayloadProcessors or warnings. */
  public ConfigSnapshot(
      List<BoundListener> listeners, List<HttpRoute> routes, Map<String, ResolvedBackend> backends, List<Resource> resources) {
    this(listeners, routes, backends, List.of(), resources, List.of(), Policies.NONE);
  }

  /**
   * The PayloadProcessor {@code namespace/name}, as an {@code ExtensionRef} in that namespace names it.
   * A linear scan: resolve once per snapshot, not per request.
   */
  public Optional<PayloadProcessor> payloadProcessor(String namespace, String name) {
    return payloadProcessors.stream()
        .filter(p -> p.metadata().namespace().equals(namespace) && p.metadata().name().equals(name))
        .findFirst();
  }

  /**
   * The resource {@code kind namespace/name} as loaded (a KnowledgeBase a Retrieval processor names,
   * the ConfigMap or Secret it reads), or empty. A linear scan, like {@link #payloadProcessor}.
   */
  public <R extends Resource> Optional<R> resource(Class<R> type, String namespace, String name) {
    return resources.stream()
        .filter(r -> type.isInstance(r) && r.metadata().namespace().equals(namespace) && r.metadata().name().equals(name))
        .map(type::cast)
        .findFirst();
  }

  /**
   * The PayloadProcessor attached by {@code targetRef} to the Gateway or HTTPRoute ({@code kind})
   * {@code namespace/name} in {@code phase}; after conflict resolution there is at most one. A linear
   * scan, like {@link #payloadProcessor}.
   */
  public Optional<PayloadProcessor> attachedPayloadProcessor(
      String kind, String namespace, String name, ProcessorPhase phase) {
    return payloadProcessors.stream()
        .filter(p -> p.targetRef() != null && p.phase() == phase
            && kind.equals(p.targetRef().kind()) && name.equals(p.targetRef().name())
            && namespace.equals(p.metadata().namespace()))
        .findFirst();
  }
}
