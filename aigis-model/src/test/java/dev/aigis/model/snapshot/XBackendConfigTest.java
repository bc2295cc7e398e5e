package dev.aigis.model.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.load.ConfigPipeline;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** XBackend, ConfigMap and EgressPolicy as validation reports them: file, line, resource, field, reason. */
class XBackendConfigTest {

  private static final String BASE = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw}
      spec:
        gatewayClassName: aigis
        listeners: [{name: http, port: 8080, protocol: HTTP}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: chat}
      spec:
        parentRefs: [{name: gw}]
        rules:
        - backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: AIBackend
      metadata: {name: openai}
      spec:
        schema: OpenAI
        backendRef: {group: gateway.networking.x-k8s.io, kind: XBackend, name: openai}
      ---
      apiVersion: gateway.networking.x-k8s.io/v1alpha1
      kind: XBackend
      metadata: {name: openai}
      spec:
        type: ExternalHostname
        port: {port: 443}
        externalHostname:
          hostname: %s
        tls:
          mode: ServerOnly
          validation: {hostname: api.openai.com, wellKnownCACertificates: System}
      """;

  private static final String POLICY = """
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: EgressPolicy
      metadata: {name: egress}
      spec:
        targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
        allowedHostnames: [api.openai.com, "*.anthropic.com"]
      """;

  @Test
  void anXBackendResolvesToItsHostnameAndPort() throws ConfigException {
    ConfigSnapshot snapshot = compile(BASE.formatted("api.openai.com") + POLICY);
    ResolvedBackend backend = snapshot.backends().get("default/openai");
    assertThat(backend.backend().endpoint()).hasToString("Url[tls=true, host=api.openai.com, port=443, basePath=]");
    assertThat(backend.egress().verifyHostname()).isEqualTo("api.openai.com");
    assertThat(backend.egress().caPem()).isNull();
  }

  @Test
  void ipAddressesAndClusterNamesAreRefused() {
    assertThat(errors(BASE.formatted("10.0.0.1"))).containsExactly(
        "f.yaml:30: XBackend/openai: spec.externalHostname.hostname: \"10.0.0.1\" is an IP address; an external hostname"
            + " must be a DNS name, which the certificate and the egress allow-list are checked against");
    assertThat(errors(BASE.formatted("llm.default.svc.cluster.local"))).containsExactly(
        "f.yaml:30: XBackend/openai: spec.externalHostname.hostname: \"llm.default.svc.cluster.local\" is an in-cluster"
            + " name (*.cluster.local), not an external hostname");
  }

  @Test
  void aHostOutsideTheAllowListIsRefusedNamingIt() {
    assertThat(errors(BASE.formatted("api.evil.example") + POLICY)).containsExactly(
        "f.yaml:30: XBackend/openai: spec.externalHostname.hostname: hostname api.evil.example is not allowed by"
            + " EgressPolicy default/egress of Gateway default/gw (allowed: api.openai.com, *.anthropic.com), and"
            + " HTTPRoute default/chat sends requests to it");
  }

  @Test
  void aWildcardMatchesSubdomainsOnlyNeverTheBareSuffix() {
    assertThat(errors(BASE.formatted("api.anthropic.com") + POLICY)).isEmpty();
    assertThat(errors(BASE.formatted("anthropic.com") + POLICY)).singleElement().asString()
        .contains("hostname anthropic.com is not allowed by EgressPolicy default/egress");
  }

  @Test
  void aMissingCaConfigMapIsAWarningAndTheTargetCarriesTheReason() throws ConfigException {
    String yaml = BASE.formatted("api.openai.com")
        .replace("{hostname: api.openai.com, wellKnownCACertificates: System}",
            "{hostname: api.openai.com, caCertificateRefs: [{group: \"\", kind: ConfigMap, name: ca}]}");
    ConfigSnapshot snapshot = compile(yaml);
    assertThat(snapshot.backends().get("default/openai").egress().caProblem())
        .isEqualTo("CA certificate ConfigMap default/ca not found");
    assertThat(snapshot.warnings()).extracting(ConfigError::format).singleElement().asString()
        .endsWith("XBackend/openai: spec.tls.validation.caCertificateRefs[0].name: CA certificate ConfigMap default/ca"
            + " not found; requests through this XBackend fail with 503");
  }

  @Test
  void clientAndServerNeedsAClientCertificate() {
    assertThat(errors(BASE.formatted("api.openai.com").replace("mode: ServerOnly", "mode: ClientAndServer")))
        .singleElement().asString()
        .endsWith("XBackend/openai: spec.tls.clientCertificateRef: required for mode ClientAndServer: a kubernetes.io/tls Secret");
  }

  private static String direct(String refs) {
    return direct("api.openai.com", refs);
  }

  /** BASE with the route's backendRefs replaced; the AIBackend stays, unreferenced. */
  private static String direct(String hostname, String refs) {
    return BASE.formatted(hostname)
        .replace("- backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]", "- backendRefs: " + refs);
  }

  @Test
  void aRouteNamingAnXBackendGetsAPassthroughBackendOfItsOwn() throws ConfigException {
    ConfigSnapshot snapshot = compile(direct("[{group: gateway.networking.x-k8s.io, kind: XBackend, name: openai}]"));
    ResolvedBackend direct = snapshot.backends().get("default/xbackend/openai");
    assertThat(direct.key()).isEqualTo("default/xbackend/openai");
    assertThat(direct.backend().schema()).hasToString("OpenAI");
    assertThat(direct.backend().forwardClientAuthorization()).isTrue();
    assertThat(direct.apiKey()).isNull();
    assertThat(direct.backend().endpoint()).hasToString("Url[tls=true, host=api.openai.com, port=443, basePath=]");
    assertThat(direct.egress().verifyHostname()).isEqualTo("api.openai.com");
    // The AIBackend through the same XBackend keeps its own key: the two never share limits or circuits.
    assertThat(snapshot.backends()).containsKeys("default/openai", "default/xbackend/openai");
  }

  @Test
  void anUnknownXBackendRefIsAnErrorNamingIt() {
    assertThat(errors(direct("[{group: gateway.networking.x-k8s.io, kind: XBackend, name: nope}]"))).containsExactly(
        "f.yaml:14: HTTPRoute/chat: spec.rules[0].backendRefs[0].name: XBackend default/nope not found");
  }

  @Test
  void aGroupAndKindThatDoNotGoTogetherAreRefused() {
    assertThat(errors(direct("[{group: aigis.dev, kind: XBackend, name: openai}]"))).containsExactly(
        "f.yaml:14: HTTPRoute/chat: spec.rules[0].backendRefs[0].kind: kind XBackend is not served from group"
            + " aigis.dev; only aigis.dev/AIBackend, gateway.networking.x-k8s.io/XBackend and core Service backends are supported");
    assertThat(errors(direct("[{group: gateway.networking.x-k8s.io, kind: AIBackend, name: openai}]"))).containsExactly(
        "f.yaml:14: HTTPRoute/chat: spec.rules[0].backendRefs[0].kind: kind AIBackend is not served from group"
            + " gateway.networking.x-k8s.io; only aigis.dev/AIBackend, gateway.networking.x-k8s.io/XBackend"
            + " and core Service backends are supported");
    assertThat(errors(direct("[{kind: XBackend, name: openai}]"))).containsExactly(
        "f.yaml:14: HTTPRoute/chat: spec.rules[0].backendRefs[0].group: only aigis.dev/AIBackend,"
            + " gateway.networking.x-k8s.io/XBackend and core Service backends are supported");
  }

  @Test
  void aDirectXBackendRefIsHeldToTheAllowList() {
    assertThat(errors(direct("api.evil.example", "[{group: gateway.networking.x-k8s.io, kind: XBackend, name: openai}]")
        + POLICY))
        .singleElement().asString()
        .contains("hostname api.evil.example is not allowed by EgressPolicy default/egress");
  }

  private static ConfigSnapshot compile(String yaml) throws ConfigException {
    return ConfigPipeline.compileText("f.yaml", yaml, Map.<String, String>of()::get);
  }

  private static List<String> errors(String yaml) {
    try {
      compile(yaml);
      return List.of();
    } catch (ConfigException e) {
      return e.errors().stream().map(ConfigError::format).toList();
    }
  }
}
