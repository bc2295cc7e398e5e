package dev.aigis.kubernetes;

import static dev.aigis.kubernetes.Cluster.BASE;
import static dev.aigis.kubernetes.Cluster.conditions;
import static dev.aigis.kubernetes.Cluster.reconcile;
import static dev.aigis.kubernetes.Cluster.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.model.HttpRoute;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Each nested class mirrors the upstream Gateway API conformance test of the same name
 * (kubernetes-sigs/gateway-api conformance/tests), on the translation the controller runs: the
 * status it plans and what the data plane is given. docs/conformance.md lists them.
 */
class GatewayApiConformanceTest {

  static final String INFRA = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: infra, labels: {team: infra}}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: web, labels: {gateway-access: "true"}}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: other}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: shared, namespace: infra, generation: 1}
      spec:
        gatewayClassName: aigis
        listeners:
        - name: same
          port: 8080
          protocol: HTTP
        - name: selected
          port: 8081
          protocol: HTTP
          allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {gateway-access: "true"}}}}
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: AIBackend
      metadata: {name: echo, namespace: infra, generation: 1}
      spec: {schema: OpenAI, endpoint: {builtin: Echo}}
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: AIBackend
      metadata: {name: echo, namespace: web, generation: 1}
      spec: {schema: OpenAI, endpoint: {builtin: Echo}}
      """;

  static String route(String namespace, String name, String parentRef, String backendRef) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: %s, generation: 3}
        spec:
          parentRefs: [%s]
          rules:
          - backendRefs: [%s]
        """.formatted(name, namespace, parentRef, backendRef);
  }

  static JsonNode parent(Reconciliation result, String namespace, String name) {
    JsonNode parents = status(result, "HTTPRoute", namespace, name).path("parents");
    assertThat(parents).hasSize(1);
    assertThat(parents.get(0).path("controllerName").asText()).isEqualTo("aigis.dev/gateway-controller");
    return parents.get(0);
  }

  static HttpRoute compiled(Reconciliation result, String namespace, String name) {
    return result.snapshot().routes().stream()
        .filter(r -> r.metadata().namespace().equals(namespace) && r.metadata().name().equals(name))
        .findFirst().orElse(null);
  }

  static JsonNode listener(Reconciliation result, String namespace, String gateway, String name) {
    for (JsonNode listener : status(result, "Gateway", namespace, gateway).path("listeners")) {
      if (listener.path("name").asText().equals(name)) {
        return listener;
      }
    }
    throw new AssertionError("no listener " + name);
  }

  @Nested
  class HTTPRouteCrossNamespace {
    @Test
    void aRouteFromASelectedNamespaceAttachesToTheListenerThatSelectsIt() {
      Reconciliation result = reconcile(BASE, INFRA, route("web", "web-route",
          "{name: shared, namespace: infra}", "{group: aigis.dev, kind: AIBackend, name: echo}"));

      JsonNode parent = parent(result, "web", "web-route");
      assertThat(conditions(parent.path("conditions")))
          .containsExactly("Accepted=True/Accepted", "ResolvedRefs=True/ResolvedRefs");
      assertThat(parent.path("parentRef").path("namespace").asText()).isEqualTo("infra");
      // Attached to the listener that allows the namespace, not to the Same-namespace one.
      assertThat(compiled(result, "web", "web-route").parentRefs()).singleElement()
          .satisfies(ref -> assertThat(ref.sectionName()).isEqualTo("selected"));
      assertThat(listener(result, "infra", "shared", "selected").path("attachedRoutes").asInt()).isEqualTo(1);
      assertThat(listener(result, "infra", "shared", "same").path("attachedRoutes").asInt()).isEqualTo(0);
    }
  }

  @Nested
  class HTTPRouteInvalidCrossNamespaceParentRef {
    @Test
    void aRouteFromANamespaceNoListenerAllowsIsNotAllowedByListeners() {
      Reconciliation result = reconcile(BASE, INFRA, route("other", "stray",
          "{name: shared, namespace: infra}", "{group: aigis.dev, kind: AIBackend, name: echo}"));

      assertThat(conditions(parent(result, "other", "stray").path("conditions")))
          .startsWith("Accepted=False/NotAllowedByListeners");
      assertThat(compiled(result, "other", "stray")).isNull();
      assertThat(listener(result, "infra", "shared", "same").path("attachedRoutes").asInt()).isZero();
    }
  }

  @Nested
  class HTTPRouteInvalidCrossNamespaceBackendRef {
    @Test
    void aBackendInAnotherNamespaceWithoutAReferenceGrantIsRefNotPermittedAndTheRuleKeepsNoBackend() {
      Reconciliation result = reconcile(BASE, INFRA, route("infra", "reach",
          "{name: shared, sectionName: same}", "{group: aigis.dev, kind: AIBackend, name: echo, namespace: web}"));

      assertThat(conditions(parent(result, "infra", "reach").path("conditions")))
          .containsExactly("Accepted=True/Accepted", "ResolvedRefs=False/RefNotPermitted");
      // Gateway API: the route is accepted, and requests its rule matches get a 500 (no backend).
      assertThat(compiled(result, "infra", "reach").rules().getFirst().backendRefs()).isEmpty();
    }

    @Test
    void aServiceInAnotherNamespaceWithoutAReferenceGrantIsRefNotPermitted() {
      Reconciliation result = reconcile(BASE, INFRA, service("web", "vllm", 8000), route("infra", "reach",
          "{name: shared, sectionName: same}", "{name: vllm, namespace: web, port: 8000}"));

      assertThat(conditions(parent(result, "infra", "reach").path("conditions")))
          .containsExactly("Accepted=True/Accepted", "ResolvedRefs=False/RefNotPermitted");
      assertThat(compiled(result, "infra", "reach").rules().getFirst().backendRefs()).isEmpty();
    }
  }

  @Nested
  class HTTPRouteReferenceGrant {
    @Test
    void aReferenceGrantInTheBackendsNamespacePermitsTheReference() {
      Reconciliation result = reconcile(BASE, INFRA, route("infra", "reach",
          "{name: shared, sectionName: same}", "{group: aigis.dev, kind: AIBackend, name: echo, namespace: web}"), """
          apiVersion: gateway.networking.k8s.io/v1beta1
          kind: ReferenceGrant
          metadata: {name: allow-infra, namespace: web}
          spec:
            from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
            to: [{group: aigis.dev, kind: AIBackend, name: echo}]
          """);

      assertThat(conditions(parent(result, "infra", "reach").path("conditions")))
          .containsExactly("Accepted=True/Accepted", "ResolvedRefs=True/ResolvedRefs");
      assertThat(compiled(result, "infra", "reach").rules().getFirst().backendRefs()).singleElement()
          .satisfies(ref -> assertThat(ref.namespace()).isEqualTo("web"));
    }

    @Test
    void aReferenceGrantToServicesPermitsAServiceInAnotherNamespace() {
      Reconciliation result = reconcile(BASE, INFRA, service("web", "vllm", 8000), route("infra", "reach",
          "{name: shared, sectionName: same}", "{name: vllm, namespace: web, port: 8000}"), """
          apiVersion: gateway.networking.k8s.io/v1beta1
          kind: ReferenceGrant
          metadata: {name: allow-infra, namespace: web}
          spec:
            from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
            to: [{group: "", kind: Service}]
          """);

      assertThat(conditions(parent(result, "infra", "reach").path("conditions")))
          .containsExactly("Accepted=True/Accepted", "ResolvedRefs=True/ResolvedRefs");
      assertThat(result.snapshot().backends().get("web/service/vllm:8000").backend().endpoint())
          .hasToString("Url[tls=false, host=vllm.web.svc, port=8000, basePath=]");
    }
  }

  @Nested
  class HTTPRoutePartiallyInvalidViaInvalidReferenceGrant {
    @Test
    void aGrantForAnotherNameDoesNotPermitTheReference() {
      Reconciliation result = reconcile(BASE, INFRA, route("infra", "reach",
          "{name: shared, sectionName: same}", "{group: aigis.dev, kind: AIBackend, name: echo, namespace: web}"), """
          apiVersion: gateway.networking.k8s.io/v1beta1
          kind: ReferenceGrant
          metadata: {name: allow-other, namespace: web}
          spec:
            from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
            to: [{group: aigis.dev, kind: AIBackend, name: not-echo}]
          """);

      assertThat(conditions(parent(result, "infra", "reach").path("conditions")))
          .containsExactly("Accepted=True/Accepted", "ResolvedRefs=False/RefNotPermitted");
    }

    /** As upstream's manifest has it: the rule whose backend is not permitted answers 500, the other rule serves. */
    @Test
    void theRuleWithTheRefusedBackendKeepsNoneAndTheOtherRuleServes() {
      Reconciliation result = reconcile(BASE, INFRA, service("web", "vllm", 8000), service("infra", "local", 8000), """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: reach, namespace: infra, generation: 3}
          spec:
            parentRefs: [{name: shared, sectionName: same}]
            rules:
            - matches: [{path: {type: PathPrefix, value: /invalid}}]
              backendRefs: [{name: vllm, namespace: web, port: 8000}]
            - backendRefs: [{name: local, port: 8000}]
          """, """
          apiVersion: gateway.networking.k8s.io/v1beta1
          kind: ReferenceGrant
          metadata: {name: allow-other, namespace: web}
          spec:
            from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
            to: [{group: "", kind: Service, name: not-vllm}]
          """);

      assertThat(conditions(parent(result, "infra", "reach").path("conditions")))
          .containsExactly("Accepted=True/Accepted", "ResolvedRefs=False/RefNotPermitted");
      HttpRoute route = compiled(result, "infra", "reach");
      assertThat(route.rules().get(0).backendRefs()).isEmpty();
      assertThat(route.rules().get(1).backendRefs()).extracting(r -> r.name()).containsExactly("local");
    }
  }

  @Nested
  class HTTPRouteInvalidNonExistentBackendRef {
    @Test
    void aMissingBackendIsBackendNotFound() {
      Reconciliation result = reconcile(BASE, route("default", "r", "{name: gw}",
          "{group: aigis.dev, kind: AIBackend, name: nowhere}"));

      JsonNode parent = parent(result, "default", "r");
      assertThat(conditions(parent.path("conditions")))
          .containsExactly("Accepted=True/Accepted", "ResolvedRefs=False/BackendNotFound");
      assertThat(parent.path("conditions").get(1).path("message").asText())
          .isEqualTo("AIBackend default/nowhere not found");
    }

    @Test
    void aMissingServiceOrPortIsBackendNotFound() {
      Reconciliation missing = reconcile(BASE, route("default", "r", "{name: gw}", "{name: vllm, port: 8000}"));
      Reconciliation noPort = reconcile(BASE, service("default", "vllm", 9000),
          route("default", "r", "{name: gw}", "{name: vllm, port: 8000}"));

      assertThat(conditions(parent(missing, "default", "r").path("conditions")))
          .containsExactly("Accepted=True/Accepted", "ResolvedRefs=False/BackendNotFound");
      assertThat(parent(missing, "default", "r").path("conditions").get(1).path("message").asText())
          .isEqualTo("Service default/vllm not found");
      assertThat(parent(noPort, "default", "r").path("conditions").get(1).path("message").asText())
          .isEqualTo("Service default/vllm has no port 8000");
      assertThat(compiled(noPort, "default", "r").rules().getFirst().backendRefs()).isEmpty();
      assertThat(noPort.snapshot().backends()).doesNotContainKey("default/service/vllm:8000");
    }
  }

  @Nested
  class HTTPRouteInvalidBackendRefUnknownKind {
    @Test
    void aBackendOfAKindAigisDoesNotServeIsInvalidKind() {
      Reconciliation result = reconcile(BASE, route("default", "r", "{name: gw}", "{group: example.com, kind: Thing, name: web}"));

      assertThat(conditions(parent(result, "default", "r").path("conditions")))
          .containsExactly("Accepted=True/Accepted", "ResolvedRefs=False/InvalidKind");
      assertThat(compiled(result, "default", "r").rules().getFirst().backendRefs()).isEmpty();
    }
  }

  static String service(String namespace, String name, int port) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec: {ports: [{name: http, port: %d, targetPort: 8000}]}
        """.formatted(name, namespace, port);
  }

  /** Upstream's HTTPRouteServiceTypes: a backendRef to a Service (the default kind) with a port is served. */
  @Nested
  class HTTPRouteServiceTypes {
    @Test
    void aServicePortIsServedAtItsClusterDnsNameAsAnOpenAiPassthrough() {
      Reconciliation result = reconcile(BASE, service("default", "vllm", 8000),
          route("default", "r", "{name: gw}", "{name: vllm, port: 8000}"));

      assertThat(conditions(parent(result, "default", "r").path("conditions")))
          .containsExactly("Accepted=True/Accepted", "ResolvedRefs=True/ResolvedRefs");
      var backend = result.snapshot().backends().get("default/service/vllm:8000");
      assertThat(backend.backend().endpoint()).hasToString("Url[tls=false, host=vllm.default.svc, port=8000, basePath=]");
      assertThat(backend.backend().forwardClientAuthorization()).isTrue();
    }

    @Test
    void anAIBackendPointsAtAServiceOfItsNamespace() {
      Reconciliation result = reconcile(BASE, service("default", "vllm", 8000), """
          apiVersion: aigis.dev/v1alpha1
          kind: AIBackend
          metadata: {name: local, namespace: default, generation: 1}
          spec:
            schema: OpenAI
            backendRef: {kind: Service, name: vllm, port: 8000}
          """, route("default", "r", "{name: gw}", "{group: aigis.dev, kind: AIBackend, name: local}"));

      assertThat(result.rejected()).isEmpty();
      assertThat(conditions(parent(result, "default", "r").path("conditions")))
          .containsExactly("Accepted=True/Accepted", "ResolvedRefs=True/ResolvedRefs");
      assertThat(conditions(status(result, "AIBackend", "default", "local").path("conditions")))
          .containsExactly("Accepted=True/Accepted");
      assertThat(result.snapshot().backends().get("default/local").backend().endpoint())
          .hasToString("Url[tls=false, host=vllm.default.svc, port=8000, basePath=]");
    }

    @Test
    void anAIBackendToAMissingServiceIsLeftOutAndRoutesToItKeepTheirOtherBackends() {
      Reconciliation result = reconcile(BASE, """
          apiVersion: aigis.dev/v1alpha1
          kind: AIBackend
          metadata: {name: local, namespace: default, generation: 1}
          spec:
            schema: OpenAI
            backendRef: {kind: Service, name: vllm, port: 8000}
          """, route("default", "r", "{name: gw}", "{group: example.com, kind: Thing, name: x},"
          + " {group: aigis.dev, kind: AIBackend, name: local}, {group: aigis.dev, kind: AIBackend, name: echo}"));

      JsonNode backend = status(result, "AIBackend", "default", "local").path("conditions");
      assertThat(conditions(backend)).containsExactly("Accepted=False/BackendNotFound");
      assertThat(backend.get(0).path("message").asText()).isEqualTo("spec.backendRef: Service default/vllm not found");
      JsonNode parent = parent(result, "default", "r");
      // Admission's reason comes first; the compiler's ref is named where it was written (the second).
      assertThat(conditions(parent.path("conditions")))
          .containsExactly("Accepted=True/Accepted", "ResolvedRefs=False/InvalidKind");
      assertThat(parent.path("conditions").get(1).path("message").asText())
          .endsWith("; spec.rules[0].backendRefs[1].name: AIBackend default/local not found");
      assertThat(compiled(result, "default", "r").rules().getFirst().backendRefs()).extracting(r -> r.name())
          .containsExactly("echo");
    }
  }

  @Nested
  class HTTPRouteInvalidParentRefNotMatchingSectionName {
    @Test
    void aSectionNameNoListenerHasIsNoMatchingParent() {
      Reconciliation result = reconcile(BASE, route("default", "r", "{name: gw, sectionName: nope}",
          "{group: aigis.dev, kind: AIBackend, name: echo}"));

      assertThat(conditions(parent(result, "default", "r").path("conditions")))
          .startsWith("Accepted=False/NoMatchingParent");
      assertThat(compiled(result, "default", "r")).isNull();
    }
  }

  @Nested
  class HTTPRouteInvalidParentRefNotMatchingListenerPort {
    @Test
    void aPortNoListenerHasIsNoMatchingParent() {
      Reconciliation result = reconcile(BASE, route("default", "r", "{name: gw, port: 9999}",
          "{group: aigis.dev, kind: AIBackend, name: echo}"));

      assertThat(conditions(parent(result, "default", "r").path("conditions")))
          .startsWith("Accepted=False/NoMatchingParent");
    }
  }

  @Nested
  class HTTPRouteHostnameIntersection {
    static final String GATEWAY = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: hosts, namespace: default}
        spec:
          gatewayClassName: aigis
          listeners:
          - {name: wildcard, port: 8090, protocol: HTTP, hostname: "*.example.com"}
          - {name: exact, port: 8091, protocol: HTTP, hostname: api.example.net}
        """;

    @Test
    void aRouteAttachesOnlyToListenersWhoseHostnameIntersectsItsOwn() {
      Reconciliation result = reconcile(BASE, GATEWAY, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: r, namespace: default}
          spec:
            parentRefs: [{name: hosts}]
            hostnames: [llm.example.com]
            rules: [{backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]}]
          """);

      assertThat(compiled(result, "default", "r").parentRefs()).singleElement()
          .satisfies(ref -> assertThat(ref.sectionName()).isEqualTo("wildcard"));
      assertThat(listener(result, "default", "hosts", "exact").path("attachedRoutes").asInt()).isZero();
    }

    @Test
    void aRouteWhoseHostnamesMatchNoListenerIsNoMatchingListenerHostname() {
      Reconciliation result = reconcile(BASE, GATEWAY, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: r, namespace: default}
          spec:
            parentRefs: [{name: hosts}]
            hostnames: [other.org]
            rules: [{backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]}]
          """);

      assertThat(conditions(parent(result, "default", "r").path("conditions")))
          .startsWith("Accepted=False/NoMatchingListenerHostname");
      assertThat(compiled(result, "default", "r")).isNull();
    }
  }

  @Nested
  class GatewayInvalidRouteKind {
    @Test
    void aListenerAllowingOnlyUnknownKindsIsInvalidRouteKindsWithNoSupportedKinds() {
      Reconciliation result = reconcile(BASE, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: only-invalid, namespace: default}
          spec:
            gatewayClassName: aigis
            listeners:
            - {name: http, port: 8095, protocol: HTTP, allowedRoutes: {kinds: [{kind: FooRoute}]}}
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: supported-and-invalid, namespace: default}
          spec:
            gatewayClassName: aigis
            listeners:
            - {name: http, port: 8096, protocol: HTTP, allowedRoutes: {kinds: [{kind: HTTPRoute}, {kind: FooRoute}]}}
          """);

      JsonNode onlyInvalid = listener(result, "default", "only-invalid", "http");
      assertThat(onlyInvalid.path("supportedKinds")).isEmpty();
      assertThat(conditions(onlyInvalid.path("conditions"))).contains("ResolvedRefs=False/InvalidRouteKinds");
      assertThat(onlyInvalid.path("attachedRoutes").asInt()).isZero();
      JsonNode mixed = listener(result, "default", "supported-and-invalid", "http");
      assertThat(mixed.path("supportedKinds").toString())
          .isEqualTo("[{\"group\":\"gateway.networking.k8s.io\",\"kind\":\"HTTPRoute\"}]");
      assertThat(conditions(mixed.path("conditions"))).contains("ResolvedRefs=False/InvalidRouteKinds");
    }
  }

  @Nested
  class GatewayWithAttachedRoutes {
    @Test
    void listenersCountTheRoutesAttachedToThem() {
      Reconciliation result = reconcile(BASE,
          route("default", "a", "{name: gw}", "{group: aigis.dev, kind: AIBackend, name: echo}"),
          route("default", "b", "{name: gw, sectionName: http}", "{group: aigis.dev, kind: AIBackend, name: echo}"));

      JsonNode gateway = status(result, "Gateway", "default", "gw");
      assertThat(conditions(gateway.path("conditions"))).containsExactly("Accepted=True/Accepted", "Programmed=True/Programmed");
      JsonNode http = listener(result, "default", "gw", "http");
      assertThat(http.path("attachedRoutes").asInt()).isEqualTo(2);
      assertThat(conditions(http.path("conditions")))
          .containsExactly("Accepted=True/Accepted", "Programmed=True/Programmed", "ResolvedRefs=True/ResolvedRefs");
    }
  }

  @Nested
  class GatewaySecretMissingReferenceGrant {
    @Test
    void aCertificateInAnotherNamespaceWithoutAGrantIsRefNotPermitted() {
      Reconciliation result = reconcile(BASE, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: tls, namespace: default}
          spec:
            gatewayClassName: aigis
            listeners:
            - {name: https, port: 8443, protocol: HTTPS, tls: {certificateRefs: [{name: cert, namespace: certs}]}}
          """);

      assertThat(conditions(listener(result, "default", "tls", "https").path("conditions")))
          .contains("Programmed=False/Invalid", "ResolvedRefs=False/RefNotPermitted");
    }
  }

  @Nested
  class GatewayListenerUnsupportedProtocol {
    @Test
    void aGatewayWithSomeUnsupportedListenersIsAcceptedWithListenersNotValidAndServesTheRest() {
      Reconciliation result = reconcile(BASE, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: mixed, namespace: default}
          spec:
            gatewayClassName: aigis
            listeners:
            - {name: http, port: 8097, protocol: HTTP}
            - {name: invalid, port: 9000, protocol: TCP}
          """);

      assertThat(conditions(status(result, "Gateway", "default", "mixed").path("conditions")))
          .containsExactly("Accepted=True/ListenersNotValid", "Programmed=True/Programmed");
      JsonNode invalid = listener(result, "default", "mixed", "invalid");
      assertThat(invalid.path("supportedKinds")).isEmpty();
      assertThat(conditions(invalid.path("conditions"))).startsWith("Accepted=False/UnsupportedProtocol");
      assertThat(conditions(listener(result, "default", "mixed", "http").path("conditions")))
          .startsWith("Accepted=True/Accepted");
      assertThat(result.snapshot().listeners()).filteredOn(l -> l.gateway().metadata().name().equals("mixed"))
          .singleElement().satisfies(l -> assertThat(l.listener().port()).isEqualTo(8097));
    }

    @Test
    void aGatewayWithOnlyUnsupportedListenersIsNotAccepted() {
      Reconciliation result = reconcile(BASE, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: only-unsupported, namespace: default}
          spec:
            gatewayClassName: aigis
            listeners: [{name: invalid, port: 9000, protocol: UDP}]
          """);

      assertThat(conditions(status(result, "Gateway", "default", "only-unsupported").path("conditions")))
          .containsExactly("Accepted=False/ListenersNotValid", "Programmed=False/Invalid");
    }
  }

  @Nested
  class GatewayObservedGenerationBump {
    @Test
    void everyConditionCarriesTheGenerationItWasComputedFor() {
      String bumped = BASE.replace("metadata: {name: gw, namespace: default, generation: 1}",
          "metadata: {name: gw, namespace: default, generation: 7}");
      Reconciliation result = reconcile(bumped);

      JsonNode gateway = status(result, "Gateway", "default", "gw");
      gateway.path("conditions").forEach(c -> assertThat(c.path("observedGeneration").asLong()).isEqualTo(7));
      listener(result, "default", "gw", "http").path("conditions")
          .forEach(c -> assertThat(c.path("observedGeneration").asLong()).isEqualTo(7));
    }
  }

  @Nested
  class HTTPRouteObservedGenerationBump {
    @Test
    void parentConditionsCarryTheRoutesGeneration() {
      Reconciliation result = reconcile(BASE, route("default", "r", "{name: gw}", "{group: aigis.dev, kind: AIBackend, name: echo}"));

      parent(result, "default", "r").path("conditions")
          .forEach(c -> assertThat(c.path("observedGeneration").asLong()).isEqualTo(3));
    }
  }

  @Nested
  class GatewayClassObservedGenerationBump {
    @Test
    void onlyOurClassIsAcceptedAndOthersAreLeftAlone() {
      Reconciliation result = reconcile(BASE, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: GatewayClass
          metadata: {name: someone-else, generation: 4}
          spec: {controllerName: example.com/other}
          """);

      JsonNode ours = status(result, "GatewayClass", "", "aigis");
      assertThat(conditions(ours.path("conditions"))).containsExactly("Accepted=True/Accepted");
      assertThat(ours.path("conditions").get(0).path("observedGeneration").asLong()).isEqualTo(1);
      assertThat(result.statuses().keySet()).noneMatch(o -> o.name().equals("someone-else"));
    }
  }
}
