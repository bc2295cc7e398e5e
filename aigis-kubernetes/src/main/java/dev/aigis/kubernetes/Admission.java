package dev.aigis.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The Gateway API rules the API server's objects must pass before the compiler sees them, decided on
 * the raw objects: which Gateways are Aigis's (their GatewayClass names {@link #CONTROLLER_NAME}),
 * which listeners a route may attach to ({@code allowedRoutes} namespaces and kinds, {@code sectionName},
 * {@code port}, hostnames), and which cross-namespace references a ReferenceGrant permits. Pure: the same
 * state always gives the same verdicts. Its output is the documents the loader reads, rewritten so that
 * the compiler binds exactly what was admitted: a route's parentRefs become one per admitted listener,
 * refused backendRefs are removed (the rule then answers 500, as Gateway API asks), listeners of
 * protocols Aigis does not serve are left out.
 */
public final class Admission {

  public static final String CONTROLLER_NAME = "aigis.dev/gateway-controller";
  private static final String HTTP_ROUTE = "HTTPRoute";

  /** What a listener is, for status: the kinds it supports and its own conditions. */
  public record ListenerVerdict(String name, List<String> supportedKinds, Condition accepted, Condition resolvedRefs) {}

  /** One parentRef of a route that names an Aigis Gateway: its Accepted condition and the listeners it attached to. */
  public record ParentVerdict(JsonNode parentRef, String gateway, List<String> listeners, Condition accepted) {}

  /**
   * @param documents identity → the document the model loader reads, for every object to compile
   * @param gatewayClasses the GatewayClasses Aigis controls
   * @param gateways identity → listener verdicts, for the Gateways of those classes
   * @param parents route identity → a verdict per parentRef naming an Aigis Gateway
   * @param resolvedRefs route identity → ResolvedRefs
   * @param refused identity → why an object is kept out before compilation (Accepted=False)
   * @param refPositions route identity → per rule, the position in the route as written of each
   *     backendRef admission kept, so that the compiler's errors can name the ref the user wrote
   */
  public record Result(Map<String, ObjectNode> documents, List<ClusterObject> gatewayClasses,
      Map<String, List<ListenerVerdict>> gateways, Map<String, List<ParentVerdict>> parents,
      Map<String, Condition> resolvedRefs, Map<String, Condition> refused, Map<String, List<List<Integer>>> refPositions) {

    private static final java.util.regex.Pattern REF =
        java.util.regex.Pattern.compile("spec\\.rules\\[(\\d+)]\\.backendRefs\\[(\\d+)](.*)");

    /** {@code fieldPath} of a compiled route, naming its backendRef where the route as written has it. */
    public String asWritten(String routeIdentity, String fieldPath) {
      List<List<Integer>> positions = refPositions.get(routeIdentity);
      java.util.regex.Matcher matcher = fieldPath == null ? null : REF.matcher(fieldPath);
      if (positions == null || matcher == null || !matcher.matches()) {
        return fieldPath;
      }
      int rule = Integer.parseInt(matcher.group(1));
      int ref = Integer.parseInt(matcher.group(2));
      return rule < positions.size() && ref < positions.get(rule).size()
          ? "spec.rules[" + rule + "].backendRefs[" + positions.get(rule).get(ref) + "]" + matcher.group(3) : fieldPath;
    }
  }

  private final ClusterState state;
  private final ReferenceGrants grants;

  private Admission(ClusterState state) {
    this.state = state;
    this.grants = new ReferenceGrants(state.all(WatchedKind.REFERENCE_GRANT));
  }

  public static Result admit(ClusterState state) {
    return new Admission(state).run();
  }

  private Result run() {
    Map<String, ObjectNode> documents = new LinkedHashMap<>();
    Map<String, List<ListenerVerdict>> gateways = new LinkedHashMap<>();
    Map<String, List<ParentVerdict>> parents = new LinkedHashMap<>();
    Map<String, Condition> resolvedRefs = new LinkedHashMap<>();
    Map<String, Condition> refused = new LinkedHashMap<>();
    Map<String, List<List<Integer>>> refPositions = new LinkedHashMap<>();
    List<ClusterObject> classes = state.all(WatchedKind.GATEWAY_CLASS).stream()
        .filter(c -> CONTROLLER_NAME.equals(c.spec().path("controllerName").asText())).toList();
    Set<String> classNames = new java.util.HashSet<>();
    classes.forEach(c -> classNames.add(c.name()));
    for (ClusterObject gateway : state.all(WatchedKind.GATEWAY)) {
      if (classNames.contains(gateway.spec().path("gatewayClassName").asText())) {
        List<ListenerVerdict> listeners = new ArrayList<>();
        documents.put(gateway.identity(), gatewayDocument(gateway, listeners));
        gateways.put(gateway.identity(), listeners);
      }
    }
    for (ClusterObject route : state.all(WatchedKind.HTTP_ROUTE)) {
      List<ParentVerdict> verdicts = new ArrayList<>();
      ArrayNode admittedParents = ClusterObject.JSON.createArrayNode();
      JsonNode refs = route.spec().path("parentRefs");
      for (JsonNode ref : refs) {
        ParentVerdict verdict = parent(route, ref, gateways);
        if (verdict != null) {
          verdicts.add(verdict);
          for (String listener : verdict.listeners()) {
            ObjectNode admitted = ((ObjectNode) ref).deepCopy();
            admitted.put("sectionName", listener);
            admitted.remove("port");
            admittedParents.add(admitted);
          }
        }
      }
      if (verdicts.isEmpty()) {
        continue; // not attached to any Aigis Gateway: someone else's route, no status from us
      }
      parents.put(route.identity(), verdicts);
      ObjectNode document = ModelDocuments.of(route);
      List<Condition> problems = new ArrayList<>();
      List<List<Integer>> positions = new ArrayList<>();
      if (document.path("spec").path("rules") instanceof ArrayNode rules) {
        for (JsonNode rule : rules) {
          List<Integer> kept = new ArrayList<>();
          if (rule.path("backendRefs") instanceof ArrayNode backendRefs) {
            for (int i = backendRefs.size() - 1; i >= 0; i--) {
              Condition problem = backendRef(route, backendRefs.get(i));
              if (problem != null) {
                problems.addFirst(problem);
                backendRefs.remove(i);
              } else {
                kept.addFirst(i);
              }
            }
          }
          positions.add(List.copyOf(kept));
        }
      }
      refPositions.put(route.identity(), List.copyOf(positions));
      resolvedRefs.put(route.identity(), problems.isEmpty()
          ? Condition.yes("ResolvedRefs", "ResolvedRefs", "All references resolved")
          : Condition.no("ResolvedRefs", problems.getFirst().reason(),
              String.join("; ", problems.stream().map(Condition::message).distinct().toList())));
      if (!admittedParents.isEmpty()) {
        ((ObjectNode) document.path("spec")).set("parentRefs", admittedParents);
        documents.put(route.identity(), document);
      }
    }
    for (WatchedKind kind : WatchedKind.ALL) {
      if (!kind.modelled() || kind.equals(WatchedKind.GATEWAY) || kind.equals(WatchedKind.HTTP_ROUTE)) {
        continue;
      }
      for (ClusterObject object : state.all(kind)) {
        Condition refusal = null;
        if (kind.equals(WatchedKind.AI_BACKEND)) {
          refusal = secretRef(object);
          refusal = refusal != null ? refusal : serviceRef(object);
        }
        if (kind.equals(WatchedKind.WG_PAYLOAD_PROCESSOR) && documents.containsKey(object.identity())) {
          refusal = Condition.no("Accepted", "Conflicted", "aigis.dev PayloadProcessor " + object.namespace() + "/"
              + object.name() + " has the same name and applies");
        }
        if (refusal != null) {
          refused.put(refusalKey(object), refusal);
        } else {
          documents.put(object.identity(), ModelDocuments.of(object));
        }
      }
    }
    return new Result(documents, classes, gateways, parents, resolvedRefs, refused, refPositions);
  }

  /** The Gateway as the loader reads it, listing the listeners Aigis serves; records each listener's verdict. */
  private ObjectNode gatewayDocument(ClusterObject gateway, List<ListenerVerdict> verdicts) {
    ObjectNode document = ModelDocuments.of(gateway);
    ArrayNode served = ClusterObject.JSON.createArrayNode();
    for (JsonNode listener : gateway.spec().path("listeners")) {
      String name = listener.path("name").asText();
      String protocol = listener.path("protocol").asText();
      if (!protocol.equals("HTTP") && !protocol.equals("HTTPS")) {
        verdicts.add(new ListenerVerdict(name, List.of(),
            Condition.no("Accepted", "UnsupportedProtocol", "Aigis serves HTTP and HTTPS listeners, not " + protocol),
            Condition.yes("ResolvedRefs", "ResolvedRefs", "All references resolved")));
        continue;
      }
      List<String> kinds = new ArrayList<>();
      boolean invalidKind = false;
      JsonNode allowed = listener.path("allowedRoutes").path("kinds");
      if (allowed.isMissingNode() || allowed.isEmpty()) {
        kinds.add(HTTP_ROUTE);
      } else {
        for (JsonNode kind : allowed) {
          if (kind.path("kind").asText().equals(HTTP_ROUTE)
              && WatchedKind.GATEWAY_GROUP.equals(kind.path("group").asText(WatchedKind.GATEWAY_GROUP))) {
            kinds.add(HTTP_ROUTE);
          } else {
            invalidKind = true;
          }
        }
      }
      ObjectNode copy = ((ObjectNode) listener).deepCopy();
      copy.remove("allowedRoutes");
      Condition resolved = invalidKind
          ? Condition.no("ResolvedRefs", "InvalidRouteKinds", "Aigis supports only gateway.networking.k8s.io/HTTPRoute")
          : Condition.yes("ResolvedRefs", "ResolvedRefs", "All references resolved");
      if (copy.path("tls").path("certificateRefs") instanceof ArrayNode certificates) {
        for (int i = certificates.size() - 1; i >= 0; i--) {
          JsonNode ref = certificates.get(i);
          String namespace = ref.path("namespace").asText(gateway.namespace());
          if (!namespace.equals(gateway.namespace()) && !grants.permits(WatchedKind.GATEWAY_GROUP, "Gateway",
              gateway.namespace(), "", "Secret", namespace, ref.path("name").asText())) {
            certificates.remove(i);
            resolved = Condition.no("ResolvedRefs", "RefNotPermitted", "certificateRef to Secret " + namespace + "/"
                + ref.path("name").asText() + " is not permitted by any ReferenceGrant");
          }
        }
      }
      served.add(copy);
      verdicts.add(new ListenerVerdict(name, List.copyOf(kinds),
          Condition.yes("Accepted", "Accepted", "Listener is valid"), resolved));
    }
    ((ObjectNode) document.path("spec")).set("listeners", served);
    return document;
  }

  /**
   * The key of an object's refusal: its identity, except for the WG PayloadProcessor, which shares
   * Aigis's kind name and so its identity.
   */
  static String refusalKey(ClusterObject object) {
    return object.kind().equals(WatchedKind.WG_PAYLOAD_PROCESSOR) ? object.kind().group() + "/" + object.identity()
        : object.identity();
  }

  /** The verdict on one parentRef, or null when it does not name an Aigis Gateway. */
  private ParentVerdict parent(ClusterObject route, JsonNode ref, Map<String, List<ListenerVerdict>> gateways) {
    if (!ref.path("group").asText(WatchedKind.GATEWAY_GROUP).equals(WatchedKind.GATEWAY_GROUP)
        || !ref.path("kind").asText("Gateway").equals("Gateway")) {
      return null;
    }
    String namespace = ref.path("namespace").asText(route.namespace());
    String name = ref.path("name").asText();
    ClusterObject gateway = state.find(WatchedKind.GATEWAY, namespace, name).orElse(null);
    if (gateway == null || !gateways.containsKey(gateway.identity())) {
      return null;
    }
    String section = ref.hasNonNull("sectionName") ? ref.get("sectionName").asText() : null;
    Integer port = ref.hasNonNull("port") ? ref.get("port").asInt() : null;
    List<JsonNode> matching = new ArrayList<>();
    for (JsonNode listener : gateway.spec().path("listeners")) {
      boolean served = gateways.get(gateway.identity()).stream()
          .anyMatch(v -> v.name().equals(listener.path("name").asText()) && v.accepted().status());
      if (served && (section == null || section.equals(listener.path("name").asText()))
          && (port == null || port == listener.path("port").asInt())) {
        matching.add(listener);
      }
    }
    if (matching.isEmpty()) {
      return new ParentVerdict(ref, gateway.identity(), List.of(), Condition.no("Accepted", "NoMatchingParent",
          "Gateway " + namespace + "/" + name + " has no listener" + (section == null ? "" : " named " + section)
              + (port == null ? "" : " on port " + port)));
    }
    List<JsonNode> allowed = matching.stream().filter(l -> allows(gateway, l, route)).toList();
    if (allowed.isEmpty()) {
      return new ParentVerdict(ref, gateway.identity(), List.of(), Condition.no("Accepted", "NotAllowedByListeners",
          "no listener of Gateway " + namespace + "/" + name + " allows HTTPRoutes from namespace " + route.namespace()));
    }
    List<String> hostnames = new ArrayList<>();
    route.spec().path("hostnames").forEach(h -> hostnames.add(h.asText()));
    List<String> attached = allowed.stream()
        .filter(l -> !l.hasNonNull("hostname") || Hostnames.intersect(l.get("hostname").asText(), hostnames))
        .map(l -> l.path("name").asText()).toList();
    if (attached.isEmpty()) {
      return new ParentVerdict(ref, gateway.identity(), List.of(), Condition.no("Accepted", "NoMatchingListenerHostname",
          "no listener hostname of Gateway " + namespace + "/" + name + " matches the route's hostnames"));
    }
    return new ParentVerdict(ref, gateway.identity(), attached, Condition.yes("Accepted", "Accepted", "Route is accepted"));
  }

  /** Whether the listener's allowedRoutes let this route attach (kinds and namespaces; default: HTTPRoute, Same). */
  private boolean allows(ClusterObject gateway, JsonNode listener, ClusterObject route) {
    JsonNode allowedRoutes = listener.path("allowedRoutes");
    JsonNode kinds = allowedRoutes.path("kinds");
    if (kinds.isArray() && !kinds.isEmpty()) {
      boolean http = false;
      for (JsonNode kind : kinds) {
        http |= kind.path("kind").asText().equals(HTTP_ROUTE)
            && kind.path("group").asText(WatchedKind.GATEWAY_GROUP).equals(WatchedKind.GATEWAY_GROUP);
      }
      if (!http) {
        return false;
      }
    }
    JsonNode namespaces = allowedRoutes.path("namespaces");
    return switch (namespaces.path("from").asText("Same")) {
      case "All" -> true;
      case "Selector" -> LabelSelectors.matches(namespaces.path("selector"), state.namespaceLabels(route.namespace()));
      default -> route.namespace().equals(gateway.namespace());
    };
  }

  /** Why a backendRef cannot be used, or null when it can (ResolvedRefs reasons). */
  private Condition backendRef(ClusterObject route, JsonNode ref) {
    String group = ref.path("group").asText("");
    String kind = ref.path("kind").asText("Service");
    String name = ref.path("name").asText();
    String namespace = ref.path("namespace").asText(route.namespace());
    WatchedKind target;
    if (group.equals(WatchedKind.AIGIS_GROUP) && kind.equals("AIBackend")) {
      target = WatchedKind.AI_BACKEND;
    } else if (group.equals(WatchedKind.GATEWAY_X_GROUP) && kind.equals("XBackend")) {
      target = WatchedKind.XBACKEND;
    } else if (group.isEmpty() && kind.equals("Service")) {
      target = WatchedKind.SERVICE;
    } else {
      return Condition.no("ResolvedRefs", "InvalidKind", "backendRef " + (group.isEmpty() ? "" : group + "/") + kind
          + " " + name + " is not a kind Aigis serves (aigis.dev/AIBackend, gateway.networking.x-k8s.io/XBackend, Service)");
    }
    if (!namespace.equals(route.namespace())
        && !grants.permits(WatchedKind.GATEWAY_GROUP, HTTP_ROUTE, route.namespace(), group, kind, namespace, name)) {
      return Condition.no("ResolvedRefs", "RefNotPermitted", "backendRef to " + kind + " " + namespace + "/" + name
          + " is not permitted by any ReferenceGrant in namespace " + namespace);
    }
    var found = state.find(target, namespace, name);
    if (found.isEmpty()) {
      return Condition.no("ResolvedRefs", "BackendNotFound", kind + " " + namespace + "/" + name + " not found");
    }
    if (target.equals(WatchedKind.SERVICE)) {
      return servicePort(found.get(), ref.path("port"), "ResolvedRefs", "backendRef");
    }
    return null;
  }

  /**
   * Why {@code port} of {@code service} cannot be used, or null: Gateway API requires a port on a
   * Service ref, and it must be one of the Service's {@code spec.ports[].port}.
   */
  private static Condition servicePort(ClusterObject service, JsonNode port, String type, String field) {
    String qualified = service.namespace() + "/" + service.name();
    if (!port.canConvertToInt()) {
      return Condition.no(type, "BackendNotFound", field + " to Service " + qualified + " has no port (required for a Service)");
    }
    for (JsonNode servicePort : service.spec().path("ports")) {
      if (servicePort.path("port").asInt() == port.asInt()) {
        return null;
      }
    }
    return Condition.no(type, "BackendNotFound", "Service " + qualified + " has no port " + port.asInt());
  }

  /** An AIBackend's {@code spec.backendRef} to a Service names one of its own namespace that has that port. */
  private Condition serviceRef(ClusterObject backend) {
    JsonNode ref = backend.spec().path("backendRef");
    if (!"Service".equals(ref.path("kind").asText()) || !ref.path("group").asText("").isEmpty()) {
      return null;
    }
    String name = ref.path("name").asText();
    var service = state.find(WatchedKind.SERVICE, backend.namespace(), name);
    return service.isEmpty() ? Condition.no("Accepted", "BackendNotFound", "spec.backendRef: Service "
        + backend.namespace() + "/" + name + " not found")
        : servicePort(service.get(), ref.path("port"), "Accepted", "spec.backendRef");
  }

  /** An AIBackend may read a Secret of another namespace only where a ReferenceGrant there permits it. */
  private Condition secretRef(ClusterObject backend) {
    JsonNode ref = backend.spec().path("credentials").path("secretRef");
    if (!ref.hasNonNull("namespace") || Objects.equals(ref.get("namespace").asText(), backend.namespace())) {
      return null;
    }
    String namespace = ref.get("namespace").asText();
    return grants.permits(WatchedKind.AIGIS_GROUP, "AIBackend", backend.namespace(), "", "Secret", namespace,
        ref.path("name").asText())
        ? null
        : Condition.no("Accepted", "RefNotPermitted", "credentials.secretRef to Secret " + namespace + "/"
            + ref.path("name").asText() + " is not permitted by any ReferenceGrant in namespace " + namespace);
  }
}
