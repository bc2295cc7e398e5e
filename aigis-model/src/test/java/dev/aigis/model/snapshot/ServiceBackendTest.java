package dev.aigis.model.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.ConfigError;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.backend.ServiceAddresses;
import dev.aigis.model.load.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Service backends: an HTTPRoute ref straight to a Service port is an OpenAI-compatible passthrough
 * (as a ref straight to an XBackend is), and an AIBackend's {@code spec.backendRef} may name a Service
 * of its namespace instead of an endpoint; both are reached at the Service's cluster DNS name, or where
 * the compiler's {@link ServiceAddresses} says.
 */
class ServiceBackendTest {

  static final String BASE = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: llm}
      spec:
        gatewayClassName: aigis
        listeners: [{name: http, port: 8080, protocol: HTTP}]
      ---
      """;

  static CompileResult compile(String yaml, ServiceAddresses addresses) {
    ConfigLoader.LoadResult loaded = ConfigLoader.loadText("f.yaml", BASE + yaml);
    assertThat(loaded.errors()).isEmpty();
    return new SnapshotCompiler(name -> null, addresses).compile(loaded.resources());
  }

  static List<String> errors(String yaml) {
    ConfigLoader.LoadResult loaded = ConfigLoader.loadText("f.yaml", BASE + yaml);
    if (!loaded.ok()) {
      return loaded.errors().stream().map(ConfigError::toString).toList();
    }
    return ((CompileResult.Failure) new SnapshotCompiler(name -> null).compile(loaded.resources())).errors().stream()
        .map(ConfigError::toString).toList();
  }

  static ConfigSnapshot snapshot(CompileResult result) {
    assertThat(result).isInstanceOf(CompileResult.Success.class);
    return ((CompileResult.Success) result).snapshot();
  }

  static final String DIRECT = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: chat, namespace: llm}
      spec:
        parentRefs: [{name: gw}]
        rules: [{backendRefs: [{name: vllm, port: 8000}]}]
      """;

  @Test
  void aRouteStraightToAServicePortIsAnOpenAiPassthroughAtItsClusterDnsName() {
    ConfigSnapshot snapshot = snapshot(compile(DIRECT, ServiceAddresses.CLUSTER_DNS));

    ResolvedBackend backend = snapshot.backends().get("llm/service/vllm:8000");
    assertThat(backend.backend().endpoint()).isEqualTo(new BackendEndpoint.Url(false, "vllm.llm.svc", 8000, ""));
    assertThat(backend.backend().schema()).hasToString("OpenAI");
    assertThat(backend.backend().forwardClientAuthorization()).isTrue();
    assertThat(backend.apiKey()).isNull();
  }

  @Test
  void theAddressOfAServiceIsTheCompilersToChoose() {
    ConfigSnapshot snapshot = snapshot(compile(DIRECT, (ns, name, port) -> new BackendEndpoint.Url(false, "127.0.0.1", 9999, "")));

    assertThat(snapshot.backends().get("llm/service/vllm:8000").backend().endpoint())
        .isEqualTo(new BackendEndpoint.Url(false, "127.0.0.1", 9999, ""));
  }

  @Test
  void anAIBackendMayPointAtAServiceOfItsNamespace() {
    ConfigSnapshot snapshot = snapshot(compile("""
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: local, namespace: llm}
        spec:
          schema: OpenAI
          backendRef: {kind: Service, name: vllm, port: 8000}
          modelNameOverride: meta-llama/Llama-3.1-8B-Instruct
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat, namespace: llm}
        spec:
          parentRefs: [{name: gw}]
          rules: [{backendRefs: [{group: aigis.dev, kind: AIBackend, name: local}]}]
        """, ServiceAddresses.CLUSTER_DNS));

    assertThat(snapshot.backends().get("llm/local").backend().endpoint())
        .isEqualTo(new BackendEndpoint.Url(false, "vllm.llm.svc", 8000, ""));
  }

  @Test
  void aServiceRefNeedsAPort() {
    assertThat(errors(DIRECT.replace("{name: vllm, port: 8000}", "{name: vllm}"))).containsExactly(
        "f.yaml:13: HTTPRoute/chat: spec.rules[0].backendRefs[0].port: required for a Service backendRef");
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: local, namespace: llm}
        spec:
          schema: OpenAI
          backendRef: {group: apps, kind: Service, name: vllm}
        """)).containsExactly(
        "f.yaml:13: AIBackend/local: spec.backendRef.group: a Service is in the core group: omit group or set it to \"\" (got \"apps\")",
        "f.yaml:13: AIBackend/local: spec.backendRef.port: required for a Service backendRef");
  }
}
