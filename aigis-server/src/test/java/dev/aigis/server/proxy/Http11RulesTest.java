package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.backend;
import static dev.aigis.server.proxy.FrontDoorFixture.gateway;
import static dev.aigis.server.proxy.FrontDoorFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.RecordedRequest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 as a proxy must speak it (RFC 9110, RFC 9112), on raw sockets so nothing tidies the bytes. */
class Http11RulesTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private final FakeOpenAiUpstream upstream = FakeOpenAiUpstream.start();
  private FrontDoorFixture gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = new FrontDoorFixture(gateway() + backend("openai", "OpenAI", upstream.port())
        + route("[]", "[{group: aigis.dev, kind: AIBackend, name: openai}]"), UnaryOperator.identity());
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  @Test
  void expectContinueIsAnsweredHereAndNotForwarded() throws Exception {
    try (var socket = new Socket("127.0.0.1", gateway.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + CHAT.length() + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      assertThat(new String(in.readNBytes(25), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
      out.write(CHAT.getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(in.readNBytes(15), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");
    }
    assertThat(upstream.lastRequest().header("expect")).isNull();
  }

  @Test
  void headersTheConnectionHeaderNamesAreNotForwarded() throws Exception {
    String answer = post("Connection: keep-alive, x-hop-only\r\nX-Hop-Only: 1\r\nX-End-To-End: 2\r\n");

    assertThat(answer).startsWith("HTTP/1.1 200 ");
    RecordedRequest seen = upstream.lastRequest();
    assertThat(seen.header("x-hop-only")).isNull();
    assertThat(seen.header("x-end-to-end")).isEqualTo("2");
  }

  @Test
  void aClientWrittenXForwardedForIsReplacedByTheAddressTheGatewaySaw() throws Exception {
    post("X-Forwarded-For: 203.0.113.7\r\n");

    assertThat(upstream.lastRequest().header("x-forwarded-for")).isEqualTo("127.0.0.1");
  }

  @Test
  void aRequestWithContentLengthAndTransferEncodingClosesTheConnectionSoNothingCanBeSmuggledBehindIt()
      throws Exception {
    String chunked = Integer.toHexString(CHAT.length()) + "\r\n" + CHAT + "\r\n0\r\n\r\n";
    String smuggled = "GET /v1/files HTTP/1.1\r\nHost: localhost\r\n\r\n";

    String answer = raw("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + (chunked.length() + smuggled.length()) + "\r\nTransfer-Encoding: chunked\r\n\r\n"
        + chunked + smuggled);

    assertThat(answer).startsWith("HTTP/1.1 400 ").containsIgnoringCase("connection: close")
        .contains("must not have both Content-Length and Transfer-Encoding");
    assertThat(answer.split("HTTP/1\\.1 ", -1)).as("one response only").hasSize(2);
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void aClientStillSendingARefusedBodyMayFinishItBeforeTheConnectionCloses() throws Exception {
    byte[] body = new byte[3 * 1024 * 1024]; // over the 2 MiB limit
    java.util.Arrays.fill(body, (byte) 'a');
    try (var socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000); // a bound for a broken test, not a pause
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      assertThat(new String(in.readNBytes(15), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413 Re");

      out.write(body); // refused, but read and dropped rather than reset: a client may finish its request

      String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8); // then the connection closes
      assertThat(rest).containsIgnoringCase("connection: close").contains("\"code\":\"request_too_large\"");
    }
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void twoHostHeadersOrNoneAre400AndTheConnectionCloses() throws Exception {
    String two = raw("GET /v1/files HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: close\r\n\r\n");
    String none = raw("GET /v1/files HTTP/1.1\r\nConnection: close\r\n\r\n");

    assertThat(two).startsWith("HTTP/1.1 400 ").containsIgnoringCase("connection: close")
        .contains("exactly one Host header");
    assertThat(none).startsWith("HTTP/1.1 400 ").contains("must have a Host header");
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void aRequestWithoutABodyIsNotSentChunked() throws Exception {
    gateway.close();
    try (var capture = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> head = new CompletableFuture<>();
      Thread.ofVirtual().start(() -> {
        try (Socket socket = capture.accept()) {
          var text = new StringBuilder();
          InputStream in = socket.getInputStream();
          while (!text.toString().endsWith("\r\n\r\n")) {
            text.append((char) in.read());
          }
          head.complete(text.toString());
          socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
              .getBytes(StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
          head.completeExceptionally(e);
        }
      });
      gateway = new FrontDoorFixture(gateway() + backend("capture", "OpenAI", capture.getLocalPort())
          + route("[]", "[{group: aigis.dev, kind: AIBackend, name: capture}]"), UnaryOperator.identity());

      String answer = raw("GET /v1/files HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

      assertThat(answer).startsWith("HTTP/1.1 200 ");
      assertThat(head.get(10, TimeUnit.SECONDS).toLowerCase(java.util.Locale.ROOT))
          .startsWith("get /v1/files http/1.1").doesNotContain("transfer-encoding");
    }
  }

  private String post(String extraHeaders) throws Exception {
    return raw("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + CHAT.length() + "\r\n" + extraHeaders + "Connection: close\r\n\r\n" + CHAT);
  }

  /** One exchange of raw bytes; returns everything the gateway sent until it closed. */
  private String raw(String request) throws Exception {
    try (var socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000); // a bound for a broken test, not a pause
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
