package dev.aigis.model.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.load.ConfigPipeline;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An XBackend's {@code spec.proxy}: the URL rules, the credentials Secret, and a password that is never printed. */
class XBackendProxyConfigTest {

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
        externalHostname: {hostname: api.openai.com}
        tls:
          mode: ServerOnly
          validation: {hostname: api.openai.com, wellKnownCACertificates: System}
        proxy: {url: "%s"%s}
      """;

  private static final String SECRET = """
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: proxy-auth}
      type: Opaque
      stringData: {username: gateway, password: s3cret-proxy-pass}
      """;

  @Test
  void theProxyAndItsCredentialsReachTheEgressTarget() throws ConfigException {
    EgressTarget target = compile(BASE.formatted("http://proxy.internal:3128", ", credentialsRef: {name: proxy-auth}")
        + SECRET).backends().get("default/openai").egress();

    assertThat(target.proxy()).isEqualTo(new ForwardProxy("proxy.internal", 3128, "gateway", "s3cret-proxy-pass"));
    assertThat(target.toString()).contains("via ForwardProxy[http://proxy.internal:3128, user=gateway, password=redacted]")
        .doesNotContain("s3cret");
  }

  @Test
  void withoutAPortTheProxyIsOnPort80AndCredentialsAreOptional() throws ConfigException {
    EgressTarget target = compile(BASE.formatted("http://proxy.internal", "")).backends().get("default/openai").egress();

    assertThat(target.proxy()).isEqualTo(new ForwardProxy("proxy.internal", 80, null, null));
  }

  @Test
  void aUrlWithUserInfoIsRefusedWithoutEchoingIt() {
    assertThat(errors(BASE.formatted("http://gateway:s3cret@proxy.internal:3128", ""))).singleElement().asString()
        .endsWith("XBackend/openai: spec.proxy.url: URL must not have user info; put the username and password in a"
            + " Secret named by credentialsRef")
        .doesNotContain("s3cret");
  }

  @Test
  void onlyHttpProxyUrlsAreServed() {
    assertThat(errors(BASE.formatted("https://proxy.internal:3128", ""))).singleElement().asString()
        .endsWith("spec.proxy.url: URL scheme must be http (TLS to the target is tunnelled through the proxy with CONNECT)");
    assertThat(errors(BASE.formatted("socks5://proxy.internal:1080", ""))).singleElement().asString()
        .contains("URL scheme must be http");
    assertThat(errors(BASE.formatted("http://proxy.internal:3128/path", ""))).singleElement().asString()
        .endsWith("spec.proxy.url: URL must be http://host[:port], without a path, a query or a fragment");
  }

  @Test
  void aMissingOrIncompleteSecretIsAnError() {
    assertThat(errors(BASE.formatted("http://proxy.internal:3128", ", credentialsRef: {name: proxy-auth}")))
        .singleElement().asString()
        .endsWith("XBackend/openai: spec.proxy.credentialsRef.name: Secret default/proxy-auth not found");
    assertThat(errors(BASE.formatted("http://proxy.internal:3128", ", credentialsRef: {name: proxy-auth}")
        + SECRET.replace("username: gateway, ", ""))).singleElement().asString()
        .endsWith("spec.proxy.credentialsRef.name: Secret default/proxy-auth must have username and password");
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
