package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.server.ServerOptions;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.FakeOptions;
import dev.aigis.testkit.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * XBackends over real TLS on loopback: certificates made in the test, the upstream's hostname
 * pinned to 127.0.0.1 with {@code --resolve}, each mode and each refused certificate answered with
 * its status and the check that failed.
 */
class EgressTlsTest {

  private static final String HOST = "api.test.example";
  private static final String CHAT = """
      {"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""";

  private final TestCertificates.SelfSigned server = TestCertificates.selfSigned(HOST);
  private FakeOpenAiUpstream upstream;
  private GatewayFixture gateway;
  private Vertx vertx;

  @AfterEach
  void close() {
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  @Test
  void serverOnlyTlsVerifiesTheCertificateAndRewritesHost() {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(server));
    gateway = start(config(upstream.port(), tls("ServerOnly", "", HOST), caMap(server.certificatePem())), upstream.port());

    var response = gateway.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(upstream.requests().getLast().header("host")).isEqualTo(HOST + ":" + upstream.port());
    assertThat(gateway.admin("/metrics").body()).as("the host label is the XBackend's hostname")
        .contains("aigis_upstream_attempts_total{backend=\"default/openai\",gateway=\"default/gw\",host=\"api.test.example\",route=\"default/chat\"} 1.0")
        .doesNotContain("aigis_egress_tls_failures_total{");
  }

  @Test
  void modeNoneSpeaksCleartext() {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults());
    gateway = start(config(upstream.port(), "", ""), upstream.port());

    assertThat(gateway.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
    assertThat(upstream.requests().getLast().header("host")).isEqualTo(HOST + ":" + upstream.port());
  }

  @Test
  void expiredCertificateIs503() {
    Instant now = Instant.now();
    var expired = TestCertificates.selfSigned(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)), HOST);
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(expired));
    gateway = start(config(upstream.port(), tls("ServerOnly", "", HOST), caMap(expired.certificatePem())), upstream.port());

    var response = gateway.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(message(response.body())).startsWith(
        "TLS to upstream default/openai failed: the server certificate has expired (not after ");
    assertThat(response.body()).doesNotContain("BEGIN CERTIFICATE");
    assertThat(tlsFailures()).isEqualTo("aigis_egress_tls_failures_total{backend=\"default/openai\",check=\"expired\"} 1.0");
  }

  @Test
  void wrongNameCertificateIs503() {
    var other = TestCertificates.selfSigned("other.test.example");
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(other));
    gateway = start(config(upstream.port(), tls("ServerOnly", "", HOST), caMap(other.certificatePem())), upstream.port());

    var response = gateway.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(message(response.body())).isEqualTo(
        "TLS to upstream default/openai failed: the server certificate does not match the name api.test.example");
    assertThat(tlsFailures()).isEqualTo("aigis_egress_tls_failures_total{backend=\"default/openai\",check=\"wrong_name\"} 1.0");
  }

  @Test
  void untrustedCertificateIs503() {
    var trusted = TestCertificates.selfSigned(HOST);
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(server));
    gateway = start(config(upstream.port(), tls("ServerOnly", "", HOST), caMap(trusted.certificatePem())), upstream.port());

    var response = gateway.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(message(response.body())).isEqualTo(
        "TLS to upstream default/openai failed: the server certificate is not trusted by the configured CA certificates");
    assertThat(tlsFailures()).isEqualTo("aigis_egress_tls_failures_total{backend=\"default/openai\",check=\"untrusted\"} 1.0");
  }

  @Test
  void systemCertificatesDoNotTrustATestCa() {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(server));
    gateway = start(config(upstream.port(), """
          tls:
            mode: ServerOnly
            validation: {hostname: api.test.example, wellKnownCACertificates: System}
        """, ""), upstream.port());

    assertThat(message(gateway.post("/v1/chat/completions", CHAT).body())).isEqualTo(
        "TLS to upstream default/openai failed: the server certificate is not trusted by the system CA certificates");
  }

  @Test
  void subjectAltNamesReplaceTheHostnameCheck() {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(server));
    String sans = "      subjectAltNames: [{type: Hostname, hostname: api.elsewhere.example}]\n";
    gateway = start(config(upstream.port(), tls("ServerOnly", sans, HOST), caMap(server.certificatePem())), upstream.port());

    assertThat(message(gateway.post("/v1/chat/completions", CHAT).body())).isEqualTo(
        "TLS to upstream default/openai failed: the server certificate does not match the name api.elsewhere.example");
  }

  @Test
  void missingCaConfigMapIs503NeverUnverified() {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(server));
    gateway = start(config(upstream.port(), tls("ServerOnly", "", HOST), ""), upstream.port());

    var response = gateway.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(message(response.body())).isEqualTo(
        "TLS to upstream default/openai failed: CA certificate ConfigMap default/upstream-ca not found");
    assertThat(upstream.requests()).isEmpty();
    assertThat(tlsFailures()).isEqualTo(
        "aigis_egress_tls_failures_total{backend=\"default/openai\",check=\"ca_unusable\"} 1.0");
  }

  /** The TLS-failure series on the admin port's {@code /metrics}, one per line. */
  private String tlsFailures() {
    return gateway.admin("/metrics").body().lines().filter(l -> l.startsWith("aigis_egress_tls_failures_total{"))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  @Test
  void clientAndServerPresentsTheClientCertificate() throws Exception {
    var client = TestCertificates.selfSigned("gateway.test.example");
    int port = mutualTlsServer(client);
    String secret = """
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: client-cert}
        type: kubernetes.io/tls
        stringData:
          tls.crt: |
        %s
          tls.key: |
        %s
        """.formatted(indent(client.certificatePem(), 4), indent(client.privateKeyPem(), 4));
    String clientRef = "    clientCertificateRef: {name: client-cert}\n";
    gateway = start(config(port, tls("ClientAndServer", "", HOST).replace("    validation:", clientRef + "    validation:"),
        caMap(server.certificatePem()) + secret), port);

    var response = gateway.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("mutual");
  }

  @Test
  void serverOnlyAgainstAServerThatWantsAClientCertificateFails() throws Exception {
    int port = mutualTlsServer(TestCertificates.selfSigned("gateway.test.example"));
    gateway = start(config(port, tls("ServerOnly", "", HOST), caMap(server.certificatePem())), port);

    var response = gateway.post("/v1/chat/completions", CHAT);

    // TLS 1.3: the server refuses after the client has finished its handshake, so the gateway sees a
    // closed connection, not a handshake failure, and cannot say more than "unreachable".
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(message(response.body())).isEqualTo("Upstream default/openai is unreachable");
  }

  @Test
  void allowListRefusesAHostARouteFilterPointsAt() {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(server));
    String policy = """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: EgressPolicy
        metadata: {name: egress}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
          allowedHostnames: ["*.test.example"]
        """;
    String yaml = config(upstream.port(), tls("ServerOnly", "", HOST), caMap(server.certificatePem()) + policy)
        .replace("    backendRefs: [", "    filters: [{type: URLRewrite, urlRewrite: {hostname: api.evil.example}}]\n    backendRefs: [");
    gateway = start(yaml, upstream.port());

    var response = gateway.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(message(response.body())).isEqualTo("Egress to api.evil.example is not allowed by this gateway's EgressPolicy");
    assertThat(upstream.requests()).isEmpty();
    assertThat(gateway.admin("/metrics").body()).contains("aigis_egress_refused_total{gateway=\"default/gw\"} 1.0");
  }

  private GatewayFixture start(String yaml, int upstreamPort) {
    var options = ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1").withAccessLog(false)
        .withResolve(Map.of(HOST + ":" + upstreamPort, "127.0.0.1"));
    return GatewayFixture.start(yaml, options, Map.of());
  }

  /** A TLS server for {@link #HOST} that requires {@code client}'s certificate and answers one chat completion. */
  private int mutualTlsServer(TestCertificates.SelfSigned client) throws Exception {
    vertx = Vertx.vertx();
    HttpServer https = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true)
            .setKeyCertOptions(server.keyCertOptions()).setTrustOptions(client.trustOptions())
            .setClientAuth(ClientAuth.REQUIRED))
        .requestHandler(request -> request.response().putHeader("content-type", "application/json").end("""
            {"id":"mutual","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,\
            "message":{"role":"assistant","content":"mutual"},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}"""));
    return https.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  /** The Gateway, a route to AIBackend {@code openai} and its XBackend {@code upstream}; shared with the proxy tests. */
  static String config(int upstreamPort, String tls, String extra) {
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
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: openai}
        spec:
          schema: OpenAI
          backendRef: {group: gateway.networking.x-k8s.io, kind: XBackend, name: upstream}
        ---
        apiVersion: gateway.networking.x-k8s.io/v1alpha1
        kind: XBackend
        metadata: {name: upstream}
        spec:
          type: ExternalHostname
          port: {port: %d}
          externalHostname: {hostname: api.test.example}
        %s""".formatted(upstreamPort, tls) + extra;
  }

  static String tls(String mode, String more, String hostname) {
    return """
          tls:
            mode: %s
            validation:
              caCertificateRefs: [{group: "", kind: ConfigMap, name: upstream-ca}]
              hostname: %s
        """.formatted(mode, hostname) + more;
  }

  static String caMap(String pem) {
    return """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: upstream-ca}
        data:
          ca.crt: |
        %s
        """.formatted(indent(pem, 4));
  }

  private static String indent(String text, int spaces) {
    return text.strip().indent(spaces).stripTrailing();
  }

  private static String message(String body) {
    try {
      return dev.aigis.core.json.Json.MAPPER.readTree(body).path("error").path("message").asText();
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }
}
