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

    assertThat(result.snapshot().routes()).extracting(r -> r.metadata().name()).containsExactly("good");
    assertThat(result.snapshot().backends()).containsOnlyKeys("default/echo");
    assertThat(result.rejected()).containsOnlyKeys(
        "HTTPRoute/default/bad-regex", "AIBackend/default/keyless", "HTTPRoute/default/via-keyless");
    assertThat(result.rejected().get("HTTPRoute/default/bad-regex")).extracting(ConfigError::fieldPath)
        .containsExactly("spec.rules[0].matches[0].path.value");
    // Left out because what it refers to was: the reference reads as not found.
    assertThat(result.rejected().get("HTTPRoute/default/via-keyless")).extracting(ConfigError::message)
        .containsExactly("AIBackend default/keyless not found");
    assertThat(result.snapshot().resources()).hasSize(3);
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
