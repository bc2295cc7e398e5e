package dev.aigis.kubernetes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every watched object at one moment, by kind, each list ordered by namespace and name so that a
 * reconcile of the same objects always compiles them in the same order.
 */
public record ClusterState(Map<WatchedKind, List<ClusterObject>> objects) {

  public ClusterState {
    Map<WatchedKind, List<ClusterObject>> sorted = new java.util.LinkedHashMap<>();
    for (WatchedKind kind : WatchedKind.ALL) {
      List<ClusterObject> list = new ArrayList<>(objects.getOrDefault(kind, List.of()));
      list.sort(Comparator.comparing(ClusterObject::namespace).thenComparing(ClusterObject::name));
      sorted.put(kind, List.copyOf(list));
    }
    objects = java.util.Collections.unmodifiableMap(sorted);
  }

  public List<ClusterObject> all(WatchedKind kind) {
    return objects.getOrDefault(kind, List.of());
  }

  public Optional<ClusterObject> find(WatchedKind kind, String namespace, String name) {
    return all(kind).stream().filter(o -> o.namespace().equals(namespace) && o.name().equals(name)).findFirst();
  }

  public Map<String, String> namespaceLabels(String namespace) {
    return find(WatchedKind.NAMESPACE, "", namespace).map(ClusterObject::labels).orElse(Map.of());
  }
}
