package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.server.ServerOptions;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.FakeOptions;
import dev.aigis.testkit.TestCertificates;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTPRoute whose backendRef names an XBackend directly (GEP-4894): a passthrough egress over real
 * TLS on loopback, the upstream's hostname pinned to 127.0.0.1 with {@code --resolve}. The request
 * goes as the client sent it, with the client's own credentials, to the external hostname.
 */
class XBackendRouteTest {

  private static final String HOST = "api.test.example";
  private static final String CHAT = """
      {"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""";

  private final TestCertificates.SelfSigned server = TestCertificates.selfSigned(HOST);
  private FakeOpenAiUpstream upstream;
  private GatewayFixture gateway;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void aRouteStraightToAnXBackendForwardsTheClientsCredentialsOverVerifiedTls() {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(server));
    gateway = start(config(upstream.port(), server.certificatePem()), upstream.port());

    var response = gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .header("content-type", "application/json")
        .header("authorization", "Bearer sk-client-own-key")
        .header("cookie", "session=gateway-only")
        .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    var seen = upstream.requests().getLast();
    assertThat(seen.header("host")).isEqualTo(HOST + ":" + upstream.port());
    assertThat(seen.header("authorization")).isEqualTo("Bearer sk-client-own-key");
    assertThat(seen.header("cookie")).isNull();
  }

  @Test
  void anUntrustedCertificateIsTheSame503AsThroughAnAIBackend() {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(server));
    var trusted = TestCertificates.selfSigned(HOST);
    gateway = start(config(upstream.port(), trusted.certificatePem()), upstream.port());

    var response = gateway.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(message(response.body())).isEqualTo("TLS to upstream default/xbackend/upstream failed: the server"
        + " certificate is not trusted by the configured CA certificates");
    assertThat(response.body()).doesNotContain("BEGIN CERTIFICATE");
    assertThat(upstream.requests()).isEmpty();
  }

  private GatewayFixture start(String yaml, int upstreamPort) {
    var options = ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1").withAccessLog(false)
        .withResolve(Map.of(HOST + ":" + upstreamPort, "127.0.0.1"));
    return GatewayFixture.start(yaml, options, Map.of());
  }

  private static String config(int upstreamPort, String caPem) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /v1}}]
            backendRefs: [{group: gateway.networking.x-k8s.io, kind: XBackend, name: upstream}]
        ---
        apiVersion: gateway.networking.x-k8s.io/v1alpha1
        kind: XBackend
        metadata: {name: upstream}
        spec:
          type: ExternalHostname
          port: {port: %d}
          externalHostname: {hostname: api.test.example}
          tls:
            mode: ServerOnly
            validation:
              caCertificateRefs: [{group: "", kind: ConfigMap, name: upstream-ca}]
              hostname: api.test.example
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: upstream-ca}
        data:
          ca.crt: |
        %s
        """.formatted(upstreamPort, caPem.strip().indent(4).stripTrailing());
  }

  private static String message(String body) {
    try {
      return dev.aigis.core.json.Json.MAPPER.readTree(body).path("error").path("message").asText();
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }
}
