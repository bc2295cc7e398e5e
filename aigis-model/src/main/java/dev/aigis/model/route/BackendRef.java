package dev.aigis.model.route;

/**
 * A weighted reference from a rule to a backend. Aigis resolves {@code group: aigis.dev, kind: AIBackend};
 * weight defaults to 1 and 0 means "never picked". {@code priority} (an Aigis extension, as Envoy AI
 * Gateway has it) defaults to 0: requests go to the lowest priority that has a backend left, higher
 * ones only on failover.
 */
public record BackendRef(String group, String kind, String name, String namespace, Integer port, Integer weight,
    Integer priority) {

  public static final String AIGIS_GROUP = "aigis.dev";
  public static final String AIBACKEND_KIND = "AIBackend";

  public BackendRef {
    weight = weight == null ? 1 : weight;
    priority = priority == null ? 0 : priority;
  }

  /** A ref of the default priority. */
  public BackendRef(String group, String kind, String name, String namespace, Integer port, Integer weight) {
    this(group, kind, name, namespace, port, weight, null);
  }

  public int effectiveWeight() {
    return weight;
  }

  public int effectivePriority() {
    return priority;
  }
}
