package dev.aigis.model.snapshot;

import dev.aigis.model.Resource;
import dev.aigis.model.HttpRoute;
import java.util.List;
import java.util.Map;

/**
 * A validated, immutable configuration: what the data plane serves. Built only by the snapshot
 * compiler, swapped atomically on reload.
 *
 * @param listeners every listener of every Gateway, with TLS material resolved
 * @param routes accepted HTTPRoutes in load order (the order breaks precedence ties after creation time)
 * @param backends resolved AIBackends keyed by {@code namespace/name}
 * @param resources everything that was loaded, for {@code validate} output and debugging
 */
public record ConfigSnapshot(
    List<BoundListener> listeners,
    List<HttpRoute> routes,
    Map<String, ResolvedBackend> backends,
    List<Resource> resources) {

  public ConfigSnapshot {
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
    backends = Map.copyOf(backends);
    resources = List.copyOf(resources);
  }
}
