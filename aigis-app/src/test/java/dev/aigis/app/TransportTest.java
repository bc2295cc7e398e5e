package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.server.ServerOptions;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP/2 (h2c and TLS with ALPN), and what happens when the client goes away mid-stream. */
class TransportTest {

  static FakeOpenAiUpstream upstream;
  static GatewayFixture plain;
  static GatewayFixture tls;
  static TestCertificates.SelfSigned certificate;

  @BeforeAll
  static void start() {
    upstream = FakeOpenAiUpstream.start();
    plain = GatewayFixture.start(Configs.openAiUpstream(upstream.port()),
        ServerOptions.defaults().withAdminPort(-1).withTrafficHost("127.0.0.1").withH2c(true), Map.of());
    certificate = TestCertificates.selfSigned("localhost");
    String httpsYaml = Configs.openAiUpstream(upstream.port())
        .replace("listeners: [{name: http, port: ${PORT}, protocol: HTTP}]",
            "listeners: [{name: https, port: ${PORT}, protocol: HTTPS, tls: {certificateRefs: [{name: gateway-cert}]}}]")
        + """
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: gateway-cert}
        type: kubernetes.io/tls
        stringData:
          tls.crt: |
        %s
          tls.key: |
        %s
        """.formatted(indent(certificate.certificatePem()), indent(certificate.privateKeyPem()));
    tls = GatewayFixture.start(httpsYaml, ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1"), Map.of());
  }

  @AfterAll
  static void stop() {
    plain.close();
    tls.close();
    upstream.close();
  }

  @Test
  void cleartextHttp2ByUpgrade() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpRequest models = HttpRequest.newBuilder(URI.create(plain.baseUrl() + "/v1/models")).GET().build();
    client.send(models, HttpResponse.BodyHandlers.ofString()); // the first request carries the h2c upgrade
    HttpResponse<String> response = client.send(models, HttpResponse.BodyHandlers.ofString());
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.body()).contains("\"id\":\"gpt-4o-mini\"");
  }

  @Test
  void cleartextHttp2IsOffUnlessEnabled() throws Exception {
    try (var gateway = GatewayFixture.start(Configs.openAiUpstream(upstream.port()))) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
      HttpRequest models = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/models")).GET().build();
      client.send(models, HttpResponse.BodyHandlers.ofString()); // offers the h2c upgrade, which is declined
      HttpResponse<String> response = client.send(models, HttpResponse.BodyHandlers.ofString());
      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(response.body()).contains("\"id\":\"gpt-4o-mini\"");
    }
  }

  @Test
  void withH2cRequestsAreServedOverHttp2AndRecordedWithTheStatusSent() throws Exception {
    try (var gateway = GatewayFixture.start(Configs.openAiUpstream(upstream.port()),
        ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1").withH2c(true), java.util.Map.of())) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
      HttpRequest chat = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
          .build();
      HttpResponse<String> upgraded = client.send(chat, HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> second = client.send(chat, HttpResponse.BodyHandlers.ofString());

      assertThat(upgraded.statusCode()).isEqualTo(200);
      assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
      String metrics = gateway.admin("/metrics").body();
      assertThat(metrics).contains("aigis_requests_total{backend=\"default/fake\",model=\"gpt-4o-mini\","
          + "route=\"default/models\",status=\"200\"} 2.0").doesNotContain("status=\"499\"");
    }
  }

  @Test
  void httpsWithAlpnNegotiatesHttp2AndStreams() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trusting(certificate)).build();
    upstream.enqueue(Behavior.ok().withReply("over tls").withTokens(2));
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
            URI.create("https://localhost:" + tls.port + "/v1/chat/completions"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"content\":\"over\"").endsWith("data: [DONE]\n\n");
    // The stream closing as the response ends is not the client leaving.
    assertThat(tls.admin("/metrics").body()).contains("status=\"200\"").doesNotContain("status=\"499\"");
  }

  @Test
  void clientDisconnectCancelsTheUpstreamStream() throws Exception {
    long cancelledBefore = upstream.cancelledStreams();
    upstream.enqueue(Behavior.ok().withTokens(200).withTokensPerSecond(20));
    String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    try (Socket socket = new Socket("127.0.0.1", plain.port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] first = new byte[256];
      assertThat(in.read(first)).isPositive(); // the stream has started
    } // the client goes away ten seconds before the stream would end
    assertThat(upstream.awaitCancelledStreams(cancelledBefore + 1, Duration.ofSeconds(10))).isTrue();
    assertThat(upstream.cancelledStreams()).isEqualTo(cancelledBefore + 1);
  }

  @Test
  void slowClientPushesBackOnTheUpstreamInsteadOfGrowingMemory() throws Exception {
    int total = 400_000; // about 80 MB of events, far more than socket buffers and write queues hold
    upstream.enqueue(Behavior.ok().withTokens(total));
    long before = upstream.eventsStreamed();
    long cancelledBefore = upstream.cancelledStreams();
    String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", plain.port));
      socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
      assertThat(socket.getInputStream().read(new byte[64])).isPositive();
      // The client now reads nothing. Wait until the upstream stops making progress.
      long previous = -1;
      long current = upstream.eventsStreamed() - before;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (current != previous && System.nanoTime() < deadline) {
        Thread.sleep(500);
        previous = current;
        current = upstream.eventsStreamed() - before;
      }
      assertThat(current).as("upstream stalled behind the slow client").isEqualTo(previous);
      assertThat(current).as("events the upstream could write before being paused").isLessThan(total / 4);
    }
    // The slow client leaving cancels the stalled upstream stream too.
    assertThat(upstream.awaitCancelledStreams(cancelledBefore + 1, Duration.ofSeconds(10))).isTrue();
    assertThat(upstream.cancelledStreams()).isEqualTo(cancelledBefore + 1);
  }

  private static String indent(String pem) {
    return pem.strip().lines().map(line -> "    " + line).reduce((a, b) -> a + "\n" + b).orElseThrow();
  }

  static SSLContext trusting(TestCertificates.SelfSigned certificate) throws Exception {
    var cert = CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(certificate.certificatePem().getBytes(StandardCharsets.US_ASCII)));
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("gateway", cert);
    var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
