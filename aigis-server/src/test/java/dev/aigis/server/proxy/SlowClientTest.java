package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.backend;
import static dev.aigis.server.proxy.FrontDoorFixture.echoBackend;
import static dev.aigis.server.proxy.FrontDoorFixture.gateway;
import static dev.aigis.server.proxy.FrontDoorFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.processing.Scheduler;
import dev.aigis.server.processing.CompiledProcessing;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.ManualScheduler;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that stops sending its request head or body loses the connection after the header or
 * body-stall timeout; time is manual. Every connection first asks for the 60 s header timeout.
 */
class SlowClientTest {

  private static final String HEAD = "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
      + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n";

  private final ManualScheduler time = new ManualScheduler();
  private final FakeOpenAiUpstream upstream = FakeOpenAiUpstream.start();
  private FrontDoorFixture gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = new FrontDoorFixture(gateway() + backend("openai", "OpenAI", upstream.port())
        + route("[]", "[{group: aigis.dev, kind: AIBackend, name: openai}]"), UnaryOperator.identity(),
        CompiledProcessing.NONE, timers());
  }

  private Scheduler timers() {
    return (delay, task) -> {
      var scheduled = time.schedule(delay, task);
      return scheduled::cancel;
    };
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  @Test
  void aBodyThatStopsArrivingIsA408AndTheConnectionCloses() throws Exception {
    try (var socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000); // a bound for a broken test, not a pause
      socket.getOutputStream().write(HEAD.getBytes(StandardCharsets.US_ASCII)); // and none of the 100 bytes
      assertThat(time.awaitDelay(Duration.ofSeconds(10))).as("header timeout").isEqualTo(Duration.ofSeconds(60));
      assertThat(time.awaitDelay(Duration.ofSeconds(10))).as("body stall").isEqualTo(Duration.ofSeconds(60));

      time.advance(Duration.ofSeconds(60));

      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // to the close
      assertThat(answer).startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close")
          .contains("\"code\":\"request_timeout\"").contains("stopped arriving for 60 s");
    }
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void eachPieceOfBodyRestartsTheClock() throws Exception {
    try (var socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000); // a bound for a broken test, not a pause
      OutputStream out = socket.getOutputStream();
      out.write(HEAD.getBytes(StandardCharsets.US_ASCII));
      assertThat(time.awaitDelay(Duration.ofSeconds(10))).as("header timeout").isEqualTo(Duration.ofSeconds(60));
      assertThat(time.awaitDelay(Duration.ofSeconds(10))).as("body stall").isEqualTo(Duration.ofSeconds(60));
      time.advance(Duration.ofSeconds(59));
      out.write("{\"model\"".getBytes(StandardCharsets.US_ASCII));
      assertThat(time.awaitDelay(Duration.ofSeconds(10))).as("restarted by the piece").isEqualTo(Duration.ofSeconds(60));

      time.advance(Duration.ofSeconds(1)); // 60 s since the head, 1 s since the piece: still waiting
      time.advance(Duration.ofSeconds(59));

      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 408 ");
    }
  }

  @Test
  void aHeadThatNeverCompletesLosesTheConnectionWithoutAnAnswer() throws Exception {
    try (var socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000); // a bound for a broken test, not a pause
      OutputStream out = socket.getOutputStream();
      out.write("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(time.awaitDelay(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(60));
      time.advance(Duration.ofSeconds(59));
      out.write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII)); // a header line does not buy more time

      time.advance(Duration.ofSeconds(1));

      assertThat(socket.getInputStream().readAllBytes()).isEmpty(); // closed, nothing answered
    }
    assertThat(gateway.scrape()).contains("aigis_connections_shed_total{reason=\"header_timeout\"} 1.0");
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void anIdleKeepAliveConnectionClosesTheHeaderTimeoutAfterItsLastExchange() throws Exception {
    gateway.close();
    // The echo model: no upstream leg, so the only timers are the front door's own.
    gateway = new FrontDoorFixture(gateway() + echoBackend() + route("[]", "[{group: aigis.dev, kind: AIBackend, name: echo}]"),
        UnaryOperator.identity(), CompiledProcessing.NONE, timers());
    String body = "{\"model\":\"aigis-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    try (var socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000); // a bound for a broken test, not a pause
      socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.US_ASCII));
      var in = socket.getInputStream();
      assertThat(new String(in.readNBytes(15), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");
      // Asked for, in order: the header timeout at connect, the body stall, the header timeout again at the end.
      for (int i = 0; i < 3; i++) {
        assertThat(time.awaitDelay(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(60));
      }
      assertThat(time.pending()).isEqualTo(1);

      time.advance(Duration.ofSeconds(60));

      String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8); // ends at the close
      assertThat(rest).contains("chat.completion").doesNotContain("HTTP/1.1");
    }
    assertThat(gateway.scrape()).contains("aigis_connections_shed_total{reason=\"header_timeout\"} 1.0");
  }
}
