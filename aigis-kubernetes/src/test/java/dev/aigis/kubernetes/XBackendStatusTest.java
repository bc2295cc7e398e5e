package dev.aigis.kubernetes;

import static dev.aigis.kubernetes.Cluster.BASE;
import static dev.aigis.kubernetes.Cluster.conditions;
import static dev.aigis.kubernetes.Cluster.reconcile;
import static dev.aigis.kubernetes.Cluster.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** XBackend status in its upstream CRD's shape: {@code parents[]}, one per Aigis Gateway that reaches it. */
class XBackendStatusTest {

  static final String EGRESS = """
      apiVersion: gateway.networking.x-k8s.io/v1alpha1
      kind: XBackend
      metadata: {name: openai, namespace: default, generation: 4}
      spec:
        type: ExternalHostname
        port: {port: 443}
        protocol: HTTP11
        externalHostname: {hostname: api.openai.com}
        tls:
          mode: ServerOnly
          validation: {hostname: api.openai.com, wellKnownCACertificates: System}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: key, namespace: default}
      stringData: {apiKey: sk-test}
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: AIBackend
      metadata: {name: openai, namespace: default}
      spec:
        schema: OpenAI
        backendRef: {group: gateway.networking.x-k8s.io, kind: XBackend, name: openai}
        credentials: {secretRef: {name: key, key: apiKey}}
      """;

  @Test
  void anXBackendReachedThroughAnAIBackendNamesTheGatewayAsItsParent() {
    Reconciliation result = reconcile(BASE, EGRESS, """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          rules: [{backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]}]
        """);

    assertThat(result.rejected()).isEmpty();
    JsonNode parents = status(result, "XBackend", "default", "openai").path("parents");
    assertThat(parents).hasSize(1);
    assertThat(parents.get(0).path("parentRef").toString()).isEqualTo(
        "{\"group\":\"gateway.networking.k8s.io\",\"kind\":\"Gateway\",\"namespace\":\"default\",\"name\":\"gw\"}");
    assertThat(parents.get(0).path("controllerName").asText()).isEqualTo("aigis.dev/gateway-controller");
    assertThat(conditions(parents.get(0).path("conditions"))).containsExactly("Accepted=True/Accepted");
    assertThat(parents.get(0).path("conditions").get(0).path("observedGeneration").asLong()).isEqualTo(4);
  }

  @Test
  void anXBackendNoRouteReachesHasNoParents() {
    Reconciliation result = reconcile(BASE, EGRESS);

    assertThat(status(result, "XBackend", "default", "openai").path("parents")).isEmpty();
  }
}
