package dev.aigis.kubernetes;

import java.util.List;

/**
 * One kind the controller watches: its API group, version, kind and plural, and whether Aigis
 * compiles it into the snapshot ({@code modelled}) or only reads it to decide attachment and
 * permissions (GatewayClass, ReferenceGrant, Namespace).
 */
public record WatchedKind(String group, String version, String kind, String plural, boolean namespaced,
    boolean modelled, boolean hasStatus) {

  public static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  public static final String GATEWAY_X_GROUP = "gateway.networking.x-k8s.io";
  public static final String AIGIS_GROUP = "aigis.dev";

  public static final WatchedKind GATEWAY_CLASS = new WatchedKind(GATEWAY_GROUP, "v1", "GatewayClass", "gatewayclasses", false, false, true);
  public static final WatchedKind GATEWAY = new WatchedKind(GATEWAY_GROUP, "v1", "Gateway", "gateways", true, true, true);
  public static final WatchedKind HTTP_ROUTE = new WatchedKind(GATEWAY_GROUP, "v1", "HTTPRoute", "httproutes", true, true, true);
  public static final WatchedKind REFERENCE_GRANT = new WatchedKind(GATEWAY_GROUP, "v1beta1", "ReferenceGrant", "referencegrants", true, false, false);
  public static final WatchedKind XBACKEND = new WatchedKind(GATEWAY_X_GROUP, "v1alpha1", "XBackend", "xbackends", true, true, true);
  public static final WatchedKind AI_BACKEND = aigis("AIBackend", "aibackends");
  public static final WatchedKind PAYLOAD_PROCESSOR = aigis("PayloadProcessor", "payloadprocessors");
  /**
   * The AI Gateway WG's PayloadProcessor (proposal 7, GEP-5091) in the Gateway API group. Its spec is
   * Aigis's PayloadProcessor spec field for field, so it is compiled as one (a name used in both groups in
   * one namespace is a duplicate). Its CRD is not in any Gateway API release: when it is not installed
   * the kind is simply empty.
   */
  public static final WatchedKind WG_PAYLOAD_PROCESSOR = new WatchedKind(GATEWAY_GROUP, "v1alpha1", "PayloadProcessor",
      "payloadprocessors", true, true, true);
  public static final WatchedKind ACCESS_POLICY = aigis("AccessPolicy", "accesspolicies");
  public static final WatchedKind RATE_LIMIT_POLICY = aigis("RateLimitPolicy", "ratelimitpolicies");
  public static final WatchedKind PRICE_CATALOG = aigis("PriceCatalog", "pricecatalogs");
  public static final WatchedKind EGRESS_POLICY = aigis("EgressPolicy", "egresspolicies");
  public static final WatchedKind KNOWLEDGE_BASE = aigis("KnowledgeBase", "knowledgebases");
  public static final WatchedKind SECRET = new WatchedKind("", "v1", "Secret", "secrets", true, true, false);
  public static final WatchedKind CONFIG_MAP = new WatchedKind("", "v1", "ConfigMap", "configmaps", true, true, false);
  /**
   * Read by admission only: an HTTPRoute or AIBackend backendRef to a Service must name one that exists
   * with that port. The data plane reaches it by its cluster DNS name, so EndpointSlices are not read.
   */
  public static final WatchedKind SERVICE = new WatchedKind("", "v1", "Service", "services", true, false, false);
  public static final WatchedKind NAMESPACE = new WatchedKind("", "v1", "Namespace", "namespaces", false, false, false);

  /** Every kind watched, in the order the compiler is given them. A kind that lands later is added here. */
  public static final List<WatchedKind> ALL = List.of(GATEWAY_CLASS, GATEWAY, HTTP_ROUTE, REFERENCE_GRANT, XBACKEND,
      AI_BACKEND, PAYLOAD_PROCESSOR, WG_PAYLOAD_PROCESSOR, ACCESS_POLICY, RATE_LIMIT_POLICY, PRICE_CATALOG, EGRESS_POLICY, KNOWLEDGE_BASE,
      SECRET, CONFIG_MAP, SERVICE, NAMESPACE);

  /** The aigis.dev kinds, whose CRDs Aigis owns (the Gateway API's come from upstream). */
  public static final List<WatchedKind> AIGIS = List.of(AI_BACKEND, PAYLOAD_PROCESSOR, ACCESS_POLICY,
      RATE_LIMIT_POLICY, PRICE_CATALOG, EGRESS_POLICY, KNOWLEDGE_BASE);

  private static WatchedKind aigis(String kind, String plural) {
    return new WatchedKind(AIGIS_GROUP, "v1alpha1", kind, plural, true, true, true);
  }

  /** Whether the kind's CRD may be absent from a cluster Aigis serves (experimental and WG kinds). */
  public boolean optional() {
    return group.equals(GATEWAY_X_GROUP) || equals(WG_PAYLOAD_PROCESSOR);
  }

  /** The apiVersion the model's loader reads this kind as: the WG PayloadProcessor is read as Aigis's. */
  public String modelApiVersion() {
    return equals(WG_PAYLOAD_PROCESSOR) ? PAYLOAD_PROCESSOR.apiVersion() : apiVersion();
  }

  /** How fabric8's generic client addresses this kind. */
  public io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext context() {
    return new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder().withGroup(group)
        .withVersion(version).withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
  }

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** Policies report per target ({@code status.ancestors}), as GEP-713 has it, not plain conditions. */
  public boolean isPolicy() {
    return (group.equals(AIGIS_GROUP) || equals(WG_PAYLOAD_PROCESSOR)) && List.of("PayloadProcessor", "AccessPolicy", "RateLimitPolicy", "EgressPolicy").contains(kind);
  }
}
