package dev.aigis.model.load;

import static dev.aigis.model.load.ConfigFixtures.BASE;
import static dev.aigis.model.load.ConfigFixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Field errors and reference errors are reported together, without "not found" for what failed to load. */
class ConfigPipelineTest {

  @Test
  void aFieldErrorAndReferenceErrorsElsewhereAreReportedTogether() {
    List<String> errors = errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: bad}
        spec:
          schema: Telepathy
          endpoint: {builtin: Echo}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r1}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - backendRefs:
            - {group: aigis.dev, kind: AIBackend, name: bad}
            - {group: aigis.dev, kind: AIBackend, name: missing}
            - {group: aigis.dev, kind: AIBackend, name: echo, weight: -5}
        """ + BASE);

    assertThat(errors).hasSize(3);
    assertThat(errors.get(0)).startsWith("bad.yaml:5: AIBackend/bad: spec.schema: ");
    assertThat(errors.subList(1, 3)).containsExactly(
        "bad.yaml:16: HTTPRoute/r1: spec.rules[0].backendRefs[1].name: AIBackend default/missing not found",
        "bad.yaml:17: HTTPRoute/r1: spec.rules[0].backendRefs[2].weight: weight -5 is out of range 0..1000000");
  }

  @Test
  void aGatewayThatFailedToLoadIsNotAlsoReportedMissing() {
    List<String> errors = errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: 99999, protocol: HTTP}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r1}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - backendRefs: [{group: aigis.dev, kind: AIBackend, name: nowhere}]
        """);

    assertThat(errors).hasSize(2);
    assertThat(errors.get(0)).startsWith("bad.yaml:6: Gateway/gw: spec.listeners[0].port: ");
    assertThat(errors.get(1)).isEqualTo(
        "bad.yaml:14: HTTPRoute/r1: spec.rules[0].backendRefs[0].name: AIBackend default/nowhere not found");
  }

  @Test
  void afterAYamlSyntaxErrorOnlyTheSyntaxErrorIsReported() {
    List<String> errors = errors(BASE + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r1}
        spec: {parentRefs: [{name: gw}
        """);

    assertThat(errors).singleElement().asString().contains("YAML syntax error");
  }
}
