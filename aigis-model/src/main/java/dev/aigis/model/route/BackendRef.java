package dev.aigis.model.route;

/**
 * A weighted reference from a rule to a backend. Aigis resolves {@code group: aigis.dev, kind: AIBackend},
 * {@code group: gateway.networking.x-k8s.io, kind: XBackend} (a passthrough egress, see {@link #key}) and
 * a core {@code Service} with a {@code port} (Gateway API's default kind: an OpenAI-compatible server in
 * the cluster, passed through);
 * weight defaults to 1 and 0 means "never picked". {@code priority} (an Aigis extension, as Envoy AI
 * Gateway has it) defaults to 0: requests go to the lowest priority that has a backend left, higher
 * ones only on failover.
 */
public record BackendRef(String group, String kind, String name, String namespace, Integer port, Integer weight,
    Integer priority) {

  public static final String AIGIS_GROUP = "aigis.dev";
  public static final String AIBACKEND_KIND = "AIBackend";
  /** Gateway API's experimental group, where GEP-4894's XBackend lives. */
  public static final String XBACKEND_GROUP = "gateway.networking.x-k8s.io";
  public static final String XBACKEND_KIND = "XBackend";

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

  /** Whether this ref names an XBackend directly ({@code gateway.networking.x-k8s.io/XBackend}). */
  public boolean isXBackend() {
    return XBACKEND_GROUP.equals(group) && XBACKEND_KIND.equals(kind);
  }

  /** Whether this ref names a Service: the core group (omitted or "") and kind Service, or omitted (the Gateway API defaults). */
  public boolean isService() {
    return (group == null || group.isEmpty()) && (kind == null || kind.equals("Service"));
  }

  /**
   * The key of what this ref names among the snapshot's backends, or null when it names neither an
   * AIBackend, an XBackend nor a Service with a port. An AIBackend is {@code namespace/name} (an omitted group or kind is
   * taken leniently as AIBackend here; validation has already refused it). An XBackend named directly
   * is {@code namespace/xbackend/name}: a backend name has no slash, so the two never collide.
   */
  public String key(String routeNamespace) {
    if (name == null) {
      return null;
    }
    String ns = namespace == null || namespace.isBlank() ? routeNamespace : namespace;
    if (isXBackend()) {
      return xbackendKey(ns, name);
    }
    if (isService()) {
      return port == null ? null : serviceKey(ns, name, port);
    }
    boolean aiBackend = (group == null || group.isBlank() || group.equals(AIGIS_GROUP))
        && (kind == null || kind.isBlank() || kind.equals(AIBACKEND_KIND));
    return aiBackend ? ns + "/" + name : null;
  }

  /** The snapshot key of the backend implied by an HTTPRoute ref straight to port {@code port} of the Service {@code namespace/name}. */
  public static String serviceKey(String namespace, String name, int port) {
    return namespace + "/service/" + name + ":" + port;
  }

  /** The snapshot key of the backend implied by an HTTPRoute ref straight to the XBackend {@code namespace/name}. */
  public static String xbackendKey(String namespace, String name) {
    return namespace + "/xbackend/" + name;
  }
}
