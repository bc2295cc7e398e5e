package dev.aigis.model.route;

/**
 * A weighted reference from a rule to a backend. Aigis resolves {@code group: aigis.dev, kind: AIBackend};
 * weight defaults to 1 and 0 means "never picked".
 */
public record BackendRef(String group, String kind, String name, String namespace, Integer port, Integer weight) {

  public static final String AIGIS_GROUP = "aigis.dev";
  public static final String AIBACKEND_KIND = "AIBackend";

  public BackendRef {
    weight = weight == null ? 1 : weight;
  }

  public int effectiveWeight() {
    return weight;
  }
}
