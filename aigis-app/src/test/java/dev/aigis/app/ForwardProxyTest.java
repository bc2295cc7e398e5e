package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.server.ServerOptions;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.FakeOptions;
import dev.aigis.testkit.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An XBackend reached through an HTTP forward proxy ({@code spec.proxy}): a CONNECT proxy in the
 * test that checks Basic credentials, resolves the target itself and records what passes through,
 * so the test sees that TLS runs end to end inside the tunnel and that refusals name the proxy.
 */
class ForwardProxyTest {

  private static final String HOST = "api.test.example";
  private static final String PASSWORD = "s3cret-proxy-pass";
  private static final String CHAT = """
      {"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""";

  private final TestCertificates.SelfSigned server = TestCertificates.selfSigned(HOST);
  private FakeOpenAiUpstream upstream;
  private ConnectProxy proxy;
  private GatewayFixture gateway;

  @AfterEach
  void close() throws IOException {
    if (gateway != null) {
      gateway.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void tlsIsTunnelledThroughTheProxyAndVerifiedEndToEnd() throws IOException {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(server));
    proxy = new ConnectProxy("gateway", PASSWORD, upstream.port());
    gateway = start(config(upstream.port(), proxy.port(), EgressTlsTest.caMap(server.certificatePem()) + secret("gateway", PASSWORD)));

    var response = gateway.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(proxy.connects).containsExactly("CONNECT " + HOST + ":" + upstream.port() + " HTTP/1.1");
    assertThat(proxy.authorizations).containsExactly(
        "Basic " + Base64.getEncoder().encodeToString(("gateway:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    // Inside the tunnel the proxy sees a TLS handshake record first and never the request in clear.
    byte[] tunnelled = proxy.tunnelled();
    assertThat(tunnelled[0]).isEqualTo((byte) 0x16);
    assertThat(new String(tunnelled, StandardCharsets.ISO_8859_1)).doesNotContain("chat/completions", "gpt-4o-mini");
    assertThat(upstream.requests().getLast().header("host")).isEqualTo(HOST + ":" + upstream.port());
  }

  @Test
  void theTunnelDoesNotWeakenTheCertificateCheck() throws IOException {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(server));
    proxy = new ConnectProxy("gateway", PASSWORD, upstream.port());
    var other = TestCertificates.selfSigned(HOST);
    gateway = start(config(upstream.port(), proxy.port(), EgressTlsTest.caMap(other.certificatePem()) + secret("gateway", PASSWORD)));

    var response = gateway.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(message(response.body())).isEqualTo(
        "TLS to upstream default/openai failed: the server certificate is not trusted by the configured CA certificates");
    assertThat(proxy.connects).hasSize(1);
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void wrongCredentialsAre502NamingTheProxyNeverThePassword() throws IOException {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(server));
    proxy = new ConnectProxy("gateway", "the-right-one", upstream.port());
    gateway = start(config(upstream.port(), proxy.port(), EgressTlsTest.caMap(server.certificatePem()) + secret("gateway", PASSWORD)));

    var response = gateway.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(message(response.body())).isEqualTo("Upstream default/openai is unreachable: forward proxy http://127.0.0.1:"
        + proxy.port() + " refused the CONNECT tunnel: 407 Proxy Authentication Required");
    assertThat(response.body()).doesNotContain(PASSWORD).doesNotContain("gateway:");
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void aProxyThatIsDownIs502NamingTheProxy() {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withTls(server));
    int down = GatewayFixture.freePort();
    gateway = start(config(upstream.port(), down, EgressTlsTest.caMap(server.certificatePem()) + secret("gateway", PASSWORD)));

    var response = gateway.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(message(response.body())).isEqualTo(
        "Upstream default/openai is unreachable: forward proxy http://127.0.0.1:" + down + " is unreachable");
    assertThat(upstream.requests()).isEmpty();
  }

  private static GatewayFixture start(String yaml) {
    // No --resolve pin: through a proxy the gateway never resolves the target, the proxy does.
    var options = ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1").withAccessLog(false);
    return GatewayFixture.start(yaml, options, Map.of());
  }

  /** EgressTlsTest's configuration, its XBackend trusting the test CA and going through the proxy. */
  private static String config(int upstreamPort, int proxyPort, String extra) {
    String proxy = """
          proxy:
            url: http://127.0.0.1:%d
            credentialsRef: {name: proxy-auth}
        """.formatted(proxyPort);
    return EgressTlsTest.config(upstreamPort, EgressTlsTest.tls("ServerOnly", proxy, "api.test.example"), extra);
  }

  private static String secret(String username, String password) {
    return """
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: proxy-auth}
        type: Opaque
        stringData: {username: %s, password: %s}
        """.formatted(username, password);
  }


  private static String message(String body) {
    try {
      return dev.aigis.core.json.Json.MAPPER.readTree(body).path("error").path("message").asText();
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  /**
   * A CONNECT proxy on loopback, one virtual thread per connection: it records the request line and
   * {@code Proxy-Authorization}, answers 407 when they do not match, otherwise dials the target's
   * port on 127.0.0.1 (it resolves {@link #HOST} itself), answers 200 and pipes bytes both ways,
   * keeping what the client sent into the tunnel. Everything is recorded before the reply that lets
   * the client go on, so a test reads it after its response without waiting.
   */
  private static final class ConnectProxy implements AutoCloseable {
    final List<String> connects = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream tunnelled = new ByteArrayOutputStream();
    private final ServerSocket socket;
    private final String expected;
    private final int targetPort;

    ConnectProxy(String username, String password, int targetPort) throws IOException {
      this.expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
      this.targetPort = targetPort;
      this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(this::accept);
    }

    int port() {
      return socket.getLocalPort();
    }

    byte[] tunnelled() {
      synchronized (tunnelled) {
        return tunnelled.toByteArray();
      }
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket client = socket.accept();
          Thread.ofVirtual().start(() -> serve(client));
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void serve(Socket client) {
      try (client) {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        List<String> head = readHead(in);
        if (head.isEmpty()) {
          return;
        }
        connects.add(head.getFirst());
        String authorization = head.stream().filter(h -> h.regionMatches(true, 0, "Proxy-Authorization:", 0, 20))
            .map(h -> h.substring(20).strip()).findFirst().orElse(null);
        if (authorization != null) {
          authorizations.add(authorization);
        }
        String[] request = head.getFirst().split(" ");
        if (!expected.equals(authorization)) {
          out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
              + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          return;
        }
        if (!request[0].equals("CONNECT") || !request[1].equals(HOST + ":" + targetPort)) {
          out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          return;
        }
        try (Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
          out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          Thread back = Thread.ofVirtual().start(() -> pipe(target, client, false));
          pipe(client, target, true);
          back.join();
        }
      } catch (IOException | InterruptedException e) {
        // the gateway or the upstream closed the connection: nothing to record
      }
    }

    private void pipe(Socket from, Socket to, boolean record) {
      byte[] buffer = new byte[8192];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        for (int n; (n = in.read(buffer)) > 0; ) {
          if (record) {
            synchronized (tunnelled) {
              tunnelled.write(buffer, 0, n);
            }
          }
          out.write(buffer, 0, n);
          out.flush();
        }
        to.shutdownOutput();
      } catch (IOException closed) {
        // one side went away; closing the sockets ends the other direction
      }
    }

    /** The request line and headers, read byte by byte so nothing of the tunnel is consumed. */
    private static List<String> readHead(InputStream in) throws IOException {
      var lines = new java.util.ArrayList<String>();
      var line = new StringBuilder();
      for (int b; (b = in.read()) >= 0; ) {
        if (b == '\n') {
          String text = line.toString().strip();
          if (text.isEmpty()) {
            return lines;
          }
          lines.add(text);
          line.setLength(0);
        } else {
          line.append((char) b);
        }
      }
      return List.of();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
