package dev.aigis.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.model.ConfigError;
import dev.aigis.model.snapshot.ConfigSnapshot;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status each object should have, the Gateway API way: GatewayClass {@code Accepted}; Gateway
 * {@code Accepted}/{@code Programmed} and per listener {@code Accepted}/{@code Programmed}/{@code ResolvedRefs}
 * with {@code attachedRoutes}; HTTPRoute {@code parents[]} with {@code Accepted} and {@code ResolvedRefs};
 * policies {@code ancestors[]} with {@code Accepted} (reason {@code Conflicted} when another policy wins);
 * other Aigis kinds {@code Accepted}. Every condition carries the object's {@code observedGeneration};
 * {@code lastTransitionTime} is the writer's, kept from the current status when nothing changed.
 */
final class StatusPlan {

  static final String PROGRAMMED = "Programmed";

  private final Map<String, List<ConfigError>> rejected;
  private final Map<String, List<ConfigError>> unresolved;
  private final Admission.Result admitted;
  private final ConfigSnapshot snapshot;

  private StatusPlan(Admission.Result admitted, Map<String, List<ConfigError>> rejected,
      Map<String, List<ConfigError>> unresolved, ConfigSnapshot snapshot) {
    this.admitted = admitted;
    this.rejected = rejected;
    this.unresolved = unresolved;
    this.snapshot = snapshot;
  }

  /** @param unresolved route identity → the compiler's errors on backendRefs it removed, the route staying */
  static Map<ClusterObject, ObjectNode> of(ClusterState state, Admission.Result admitted,
      Map<String, List<ConfigError>> rejected, Map<String, List<ConfigError>> unresolved, ConfigSnapshot snapshot) {
    return new StatusPlan(admitted, rejected, unresolved, snapshot).plan(state);
  }

  private Map<ClusterObject, ObjectNode> plan(ClusterState state) {
    Map<ClusterObject, ObjectNode> statuses = new LinkedHashMap<>();
    for (ClusterObject gatewayClass : admitted.gatewayClasses()) {
      statuses.put(gatewayClass, conditions(gatewayClass,
          List.of(Condition.yes("Accepted", "Accepted", "Handled by " + Admission.CONTROLLER_NAME))));
    }
    Map<String, Integer> attached = attachedRoutes();
    for (ClusterObject gateway : state.all(WatchedKind.GATEWAY)) {
      if (admitted.gateways().containsKey(gateway.identity())) {
        statuses.put(gateway, gateway(gateway, attached));
      }
    }
    for (ClusterObject route : state.all(WatchedKind.HTTP_ROUTE)) {
      if (admitted.parents().containsKey(route.identity())) {
        statuses.put(route, route(route));
      }
    }
    for (WatchedKind kind : WatchedKind.AIGIS) {
      for (ClusterObject object : state.all(kind)) {
        statuses.put(object, kind.isPolicy() ? policy(object) : conditions(object, List.of(accepted(object, "Invalid"))));
      }
    }
    for (ClusterObject processor : state.all(WatchedKind.WG_PAYLOAD_PROCESSOR)) {
      statuses.put(processor, policy(processor));
    }
    Map<String, java.util.Set<String>> xbackendGateways = xbackendGateways(state);
    for (ClusterObject xbackend : state.all(WatchedKind.XBACKEND)) {
      statuses.put(xbackend, xbackend(xbackend, xbackendGateways.getOrDefault(xbackend.identity(), java.util.Set.of())));
    }
    return statuses;
  }

  /**
   * XBackend's status as its upstream CRD has it: {@code parents[]}, one per Aigis Gateway that serves a
   * route reaching it (directly, or through an AIBackend's {@code spec.backendRef}); none while nothing does.
   */
  private ObjectNode xbackend(ClusterObject xbackend, java.util.Set<String> gateways) {
    ObjectNode status = ClusterObject.JSON.createObjectNode();
    ArrayNode parents = status.putArray("parents");
    Condition accepted = accepted(xbackend, "Invalid");
    for (String gateway : new java.util.TreeSet<>(gateways)) {
      String[] parts = gateway.split("/", 3); // Gateway/namespace/name
      ObjectNode parent = parents.addObject();
      parent.putObject("parentRef").put("group", WatchedKind.GATEWAY_GROUP).put("kind", "Gateway")
          .put("namespace", parts[1]).put("name", parts[2]);
      parent.put("controllerName", Admission.CONTROLLER_NAME);
      parent.set("conditions", conditionArray(xbackend, List.of(accepted)));
    }
    return status;
  }

  /** XBackend identity → the identities of the Gateways whose accepted routes reach it. */
  private Map<String, java.util.Set<String>> xbackendGateways(ClusterState state) {
    Map<String, java.util.Set<String>> gateways = new HashMap<>();
    admitted.parents().forEach((route, verdicts) -> {
      if (rejected.containsKey(route)) {
        return;
      }
      String[] parts = route.split("/", 3);
      ClusterObject object = state.find(WatchedKind.HTTP_ROUTE, parts[1], parts[2]).orElse(null);
      if (object == null) {
        return;
      }
      for (JsonNode rule : object.spec().path("rules")) {
        for (JsonNode ref : rule.path("backendRefs")) {
          String target = xbackendOf(state, ref, object.namespace());
          if (target != null) {
            verdicts.stream().filter(v -> v.accepted().status())
                .forEach(v -> gateways.computeIfAbsent(target, k -> new java.util.HashSet<>()).add(v.gateway()));
          }
        }
      }
    });
    return gateways;
  }

  /** The identity of the XBackend a backendRef reaches, directly or through an AIBackend, or null. */
  private static String xbackendOf(ClusterState state, JsonNode ref, String namespace) {
    String ns = ref.path("namespace").asText(namespace);
    String kind = ref.path("kind").asText();
    if (kind.equals("XBackend") && ref.path("group").asText().equals(WatchedKind.GATEWAY_X_GROUP)) {
      return "XBackend/" + ns + "/" + ref.path("name").asText();
    }
    if (kind.equals("AIBackend")) {
      JsonNode inner = state.find(WatchedKind.AI_BACKEND, ns, ref.path("name").asText())
          .map(b -> b.spec().path("backendRef")).orElse(null);
      if (inner != null && inner.path("kind").asText().equals("XBackend")) {
        return "XBackend/" + inner.path("namespace").asText(ns) + "/" + inner.path("name").asText();
      }
    }
    return null;
  }

  /** Gateway identity + "/" + listener → routes attached there (routes that compiled). */
  private Map<String, Integer> attachedRoutes() {
    Map<String, Integer> counts = new HashMap<>();
    admitted.parents().forEach((route, verdicts) -> {
      if (!rejected.containsKey(route)) {
        for (Admission.ParentVerdict verdict : verdicts) {
          verdict.listeners().forEach(listener -> counts.merge(verdict.gateway() + "/" + listener, 1, Integer::sum));
        }
      }
    });
    return counts;
  }

  private ObjectNode gateway(ClusterObject gateway, Map<String, Integer> attached) {
    List<ConfigError> errors = rejected.get(gateway.identity());
    List<Admission.ListenerVerdict> verdicts = admitted.gateways().get(gateway.identity());
    long acceptedListeners = verdicts.stream().filter(v -> v.accepted().status()).count();
    // Gateway API: a Gateway with a listener left out is still Accepted (reason ListenersNotValid) while
    // one listener is; with none it is not.
    Condition accepted = acceptedListeners == 0
        ? Condition.no("Accepted", "ListenersNotValid", "no listener of this Gateway is valid")
        : errors != null ? Condition.no("Accepted", "Invalid", messages(errors))
        : acceptedListeners < verdicts.size()
            ? Condition.yes("Accepted", "ListenersNotValid", "some listeners are not valid and are not served")
            : Condition.yes("Accepted", "Accepted", "Gateway is accepted");
    List<Condition> conditions = List.of(accepted, accepted.status() && errors == null
        ? Condition.yes(PROGRAMMED, PROGRAMMED, "Gateway is programmed on every replica")
        : Condition.no(PROGRAMMED, "Invalid", "Gateway is not accepted"));
    ObjectNode status = conditions(gateway, conditions);
    ArrayNode listeners = status.putArray("listeners");
    for (Admission.ListenerVerdict verdict : verdicts) {
      ObjectNode listener = listeners.addObject();
      listener.put("name", verdict.name());
      ArrayNode kinds = listener.putArray("supportedKinds");
      verdict.supportedKinds().forEach(kind -> kinds.addObject().put("group", WatchedKind.GATEWAY_GROUP).put("kind", kind));
      listener.put("attachedRoutes", attached.getOrDefault(gateway.identity() + "/" + verdict.name(), 0));
      boolean programmed = errors == null && verdict.accepted().status() && verdict.resolvedRefs().status();
      listener.set("conditions", conditionArray(gateway, List.of(verdict.accepted(),
          programmed ? Condition.yes(PROGRAMMED, PROGRAMMED, "Listener is programmed")
              : Condition.no(PROGRAMMED, "Invalid", "Listener is not programmed"),
          verdict.resolvedRefs())));
    }
    return status;
  }

  private ObjectNode route(ClusterObject route) {
    ObjectNode status = ClusterObject.JSON.createObjectNode();
    ArrayNode parents = status.putArray("parents");
    List<ConfigError> errors = rejected.get(route.identity());
    for (Admission.ParentVerdict verdict : admitted.parents().get(route.identity())) {
      ObjectNode parent = parents.addObject();
      parent.set("parentRef", verdict.parentRef().deepCopy());
      parent.put("controllerName", Admission.CONTROLLER_NAME);
      Condition accepted = verdict.accepted().status() && errors != null
          ? Condition.no("Accepted", "UnsupportedValue", messages(errors))
          : verdict.accepted();
      parent.set("conditions", conditionArray(route, List.of(accepted, resolvedRefs(route))));
    }
    return status;
  }

  /**
   * Admission's verdict on the route's backendRefs, joined with the compiler's on those it removed (a
   * backend that was itself left out, say): {@code InvalidKind} for a group or kind, else {@code BackendNotFound}.
   */
  private Condition resolvedRefs(ClusterObject route) {
    Condition admission = admitted.resolvedRefs().get(route.identity());
    List<ConfigError> errors = unresolved.get(route.identity());
    if (errors == null || errors.isEmpty()) {
      return admission;
    }
    String field = errors.getFirst().fieldPath();
    String reason = field.endsWith(".group") || field.endsWith(".kind") ? "InvalidKind" : "BackendNotFound";
    // The compiler saw the route without the refs admission removed: name each ref where it was written.
    List<ConfigError> written = errors.stream().map(e -> new ConfigError(e.file(), e.line(), e.resource(),
        admitted.asWritten(route.identity(), e.fieldPath()), e.message())).toList();
    return admission.status() ? Condition.no("ResolvedRefs", reason, messages(written))
        : Condition.no("ResolvedRefs", admission.reason(), admission.message() + "; " + messages(written));
  }

  /** GEP-713 policy status: one ancestor per target, Accepted, or not with reason Invalid or Conflicted. */
  private ObjectNode policy(ClusterObject policy) {
    ObjectNode status = ClusterObject.JSON.createObjectNode();
    ArrayNode ancestors = status.putArray("ancestors");
    List<JsonNode> targets = new java.util.ArrayList<>();
    if (policy.spec().has("targetRef")) {
      targets.add(policy.spec().get("targetRef"));
    }
    policy.spec().path("targetRefs").forEach(targets::add);
    Condition accepted = accepted(policy, "Invalid");
    if (accepted.status()) {
      String source = Reconciliation.source(policy.namespace());
      String display = policy.kind().kind() + "/" + policy.name();
      for (ConfigError warning : snapshot.warnings()) {
        if (warning.file().equals(source) && display.equals(warning.resource())
            && "spec.targetRef".equals(warning.fieldPath())) {
          accepted = Condition.no("Accepted", "Conflicted", warning.message());
        }
      }
    }
    for (JsonNode target : targets) {
      ObjectNode ancestor = ancestors.addObject();
      ObjectNode ref = ancestor.putObject("ancestorRef");
      ref.put("group", target.path("group").asText(WatchedKind.GATEWAY_GROUP));
      ref.put("kind", target.path("kind").asText());
      ref.put("name", target.path("name").asText());
      ref.put("namespace", policy.namespace());
      ancestor.put("controllerName", Admission.CONTROLLER_NAME);
      ancestor.set("conditions", conditionArray(policy, List.of(accepted)));
    }
    return status;
  }

  private Condition accepted(ClusterObject object, String reason) {
    Condition refusal = admitted.refused().get(Admission.refusalKey(object));
    if (refusal != null) {
      return refusal;
    }
    List<ConfigError> errors = rejected.get(object.identity());
    return errors == null ? Condition.yes("Accepted", "Accepted", object.kind().kind() + " is accepted")
        : Condition.no("Accepted", reason, messages(errors));
  }

  private static ObjectNode conditions(ClusterObject object, List<Condition> conditions) {
    ObjectNode status = ClusterObject.JSON.createObjectNode();
    status.set("conditions", conditionArray(object, conditions));
    return status;
  }

  private static ArrayNode conditionArray(ClusterObject object, List<Condition> conditions) {
    ArrayNode array = ClusterObject.JSON.createArrayNode();
    for (Condition condition : conditions) {
      array.addObject()
          .put("type", condition.type())
          .put("status", condition.status() ? "True" : "False")
          .put("reason", condition.reason())
          .put("message", condition.message())
          .put("observedGeneration", object.generation());
    }
    return array;
  }

  /**
   * {@code statuses} with every Gateway and listener {@code Programmed=False/Invalid} naming why the data
   * plane refused the snapshot (the previous configuration keeps serving).
   */
  static Map<ClusterObject, ObjectNode> notProgrammed(Map<ClusterObject, ObjectNode> statuses, String why) {
    Map<ClusterObject, ObjectNode> changed = new LinkedHashMap<>(statuses);
    changed.replaceAll((object, status) -> {
      if (!object.kind().equals(WatchedKind.GATEWAY)) {
        return status;
      }
      ObjectNode copy = status.deepCopy();
      List<JsonNode> arrays = new java.util.ArrayList<>(List.of(copy.path("conditions")));
      copy.path("listeners").forEach(listener -> arrays.add(listener.path("conditions")));
      for (JsonNode conditions : arrays) {
        for (JsonNode condition : conditions) {
          if (condition.path("type").asText().equals(PROGRAMMED)) {
            ((ObjectNode) condition).put("status", "False").put("reason", "Invalid")
                .put("message", "not programmed, the previous configuration keeps serving: " + why);
          }
        }
      }
      return copy;
    });
    return changed;
  }

  /** The errors as a condition message: field path and message, never a file or line (there are none in a cluster). */
  static String messages(List<ConfigError> errors) {
    return String.join("; ", errors.stream()
        .map(e -> e.fieldPath() == null || e.fieldPath().isEmpty() ? e.message() : e.fieldPath() + ": " + e.message())
        .toList());
  }
}
