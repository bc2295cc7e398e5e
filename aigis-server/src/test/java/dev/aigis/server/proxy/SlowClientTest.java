package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.backend;
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

/** A client that stops sending its body loses the connection after the body-stall timeout; time is manual. */
class SlowClientTest {

  private static final String HEAD = "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
      + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n";

  private final ManualScheduler time = new ManualScheduler();
  private final FakeOpenAiUpstream upstream = FakeOpenAiUpstream.start();
  private FrontDoorFixture gateway;

  @BeforeEach
  void start() throws Exception {
    Scheduler timers = (delay, task) -> {
      var scheduled = time.schedule(delay, task);
      return scheduled::cancel;
    };
    gateway = new FrontDoorFixture(gateway() + backend("openai", "OpenAI", upstream.port())
        + route("[]", "[{group: aigis.dev, kind: AIBackend, name: openai}]"), UnaryOperator.identity(),
        CompiledProcessing.NONE, timers);
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  @Test
  void aBodyThatStopsArrivingIsA408AndTheConnectionCloses() throws Exception {
    try (var socket = new Socket("127.0.0.1", gateway.port())) {
      socket.getOutputStream().write(HEAD.getBytes(StandardCharsets.US_ASCII)); // and none of the 100 bytes
      assertThat(time.awaitDelay(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(60));

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
      OutputStream out = socket.getOutputStream();
      out.write(HEAD.getBytes(StandardCharsets.US_ASCII));
      assertThat(time.awaitDelay(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(60));
      time.advance(Duration.ofSeconds(59));
      out.write("{\"model\"".getBytes(StandardCharsets.US_ASCII));
      assertThat(time.awaitDelay(Duration.ofSeconds(10))).as("restarted by the piece").isEqualTo(Duration.ofSeconds(60));

      time.advance(Duration.ofSeconds(1)); // 60 s since the head, 1 s since the piece: still waiting
      time.advance(Duration.ofSeconds(59));

      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 408 ");
    }
  }
}
