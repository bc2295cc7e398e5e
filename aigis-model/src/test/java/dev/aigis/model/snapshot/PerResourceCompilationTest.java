package dev.aigis.model.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.ConfigError;
import dev.aigis.model.load.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The compiler's per-resource mode, which the Kubernetes controller uses: a bad resource is left out
 * with its errors, what refers to it is left out in turn, and the rest compiles; file mode's
 * all-or-nothing refusal of the same resources is unchanged.
 */
class PerResourceCompilationTest {

  static final String RESOURCES = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw}
      spec:
        gatewayClassName: aigis
        listeners: [{name: http, port: 8080, protocol: HTTP}]
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: AIBackend
      metadata: {name: echo}
      spec: {schema: OpenAI, endpoint: {builtin: Echo}}
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: AIBackend
      metadata: {name: keyless}
      spec:
        schema: OpenAI
        endpoint: {host: api.example.com, port: 443}
        credentials: {secretRef: {name: missing, key: apiKey}}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: good}
      spec:
        parentRefs: [{name: gw}]
        rules: [{backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: bad-regex}
      spec:
        parentRefs: [{name: gw}]
        rules:
        - matches: [{path: {type: RegularExpression, value: "(a"}}]
          backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: via-keyless}
      spec:
        parentRefs: [{name: gw}]
        rules: [{backendRefs: [{group: aigis.dev, kind: AIBackend, name: keyless}]}]
      """;

  final ConfigLoader.LoadResult loaded = ConfigLoader.loadText("cluster.yaml", RESOURCES);
  final SnapshotCompiler compiler = new SnapshotCompiler(name -> null);

  @Test
  void validResourcesCompileAndEachInvalidOneIsLeftOutWithItsErrors() {
    assertThat(loaded.ok()).isTrue();

    PerResourceResult result = compiler.compilePerResource(loaded.resources());

    // A route whose only problem is a backend stays, without that backendRef (its rule answers 500).
    assertThat(result.snapshot().routes()).extracting(r -> r.metadata().name()).containsExactly("good", "via-keyless");
    assertThat(result.snapshot().routes().get(1).rules().getFirst().backendRefs()).isEmpty();
    assertThat(result.snapshot().backends()).containsOnlyKeys("default/echo");
    assertThat(result.rejected()).containsOnlyKeys("HTTPRoute/default/bad-regex", "AIBackend/default/keyless");
    assertThat(result.rejected().get("HTTPRoute/default/bad-regex")).extracting(ConfigError::fieldPath)
        .containsExactly("spec.rules[0].matches[0].path.value");
    // Its backend was left out, so the reference reads as not found: reported, the route kept.
    assertThat(result.unresolved().get("HTTPRoute/default/via-keyless")).extracting(ConfigError::message)
        .containsExactly("AIBackend default/keyless not found");
    assertThat(result.snapshot().resources()).hasSize(4);
  }

  /** Gateway API: a route with some invalid backendRefs stays Accepted; only those refs are dropped. */
  @Test
  void anInvalidBackendRefIsDroppedFromItsRuleAndTheRestOfTheRouteServes() {
    ConfigLoader.LoadResult mixed = ConfigLoader.loadText("cluster.yaml", RESOURCES.substring(0, RESOURCES.indexOf("---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute")) + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: mixed}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{path: {value: /a}}]
            backendRefs:
            - {group: aigis.dev, kind: AIBackend, name: nope}
            - {group: aigis.dev, kind: AIBackend, name: echo}
            - {group: example.com, kind: Thing, name: x}
          - matches: [{path: {value: /b}}]
            backendRefs:
            - {group: aigis.dev, kind: AIBackend, name: nope}
            - {group: aigis.dev, kind: AIBackend, name: keyless}
        """);
    assertThat(mixed.ok()).isTrue();

    PerResourceResult result = compiler.compilePerResource(mixed.resources());

    var route = result.snapshot().routes().getFirst();
    assertThat(route.metadata().name()).isEqualTo("mixed");
    assertThat(route.rules()).hasSize(2);
    assertThat(route.rules().get(0).backendRefs()).extracting(r -> r.name()).containsExactly("echo");
    assertThat(route.rules().get(1).backendRefs()).isEmpty();
    assertThat(result.rejected()).containsOnlyKeys("AIBackend/default/keyless");
    // Each error names the ref where it was written, though keyless's is found after nope's removal.
    assertThat(result.unresolved().get("HTTPRoute/default/mixed")).extracting(ConfigError::format).containsExactly(
        "cluster.yaml:29: HTTPRoute/mixed: spec.rules[0].backendRefs[0].name: AIBackend default/nope not found",
        "cluster.yaml:31: HTTPRoute/mixed: spec.rules[0].backendRefs[2].group: only aigis.dev/AIBackend,"
            + " gateway.networking.x-k8s.io/XBackend and core Service backends are supported",
        "cluster.yaml:34: HTTPRoute/mixed: spec.rules[1].backendRefs[0].name: AIBackend default/nope not found",
        "cluster.yaml:35: HTTPRoute/mixed: spec.rules[1].backendRefs[1].name: AIBackend default/keyless not found");
    // File mode refuses the same route whole, as documented.
    assertThat(compiler.compile(mixed.resources())).isInstanceOf(CompileResult.Failure.class);
  }

  @Test
  void fileModeStillRefusesTheWholeChange() {
    CompileResult result = compiler.compile(loaded.resources());

    assertThat(result).isInstanceOfSatisfying(CompileResult.Failure.class, failure ->
        assertThat(failure.errors()).extracting(ConfigError::resource)
            .containsExactlyInAnyOrder("AIBackend/keyless", "HTTPRoute/bad-regex"));
  }

  @Test
  void anEmptyClusterCompilesToASnapshotThatServesNothing() {
    PerResourceResult result = compiler.compilePerResource(List.of());

    assertThat(result.snapshot().listeners()).isEmpty();
    assertThat(result.rejected()).isEmpty();
  }
}
