package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.gateway;
import static dev.aigis.server.proxy.FrontDoorFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.aigis.core.processing.Scheduler;
import dev.aigis.server.processing.CompiledProcessing;
import dev.aigis.testkit.ManualScheduler;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A stream that keeps sending bytes but never completes another event is cut by the backend's
 * {@code idle} timeout: the connection's own idle timer restarts on every byte and would never fire.
 */
class TricklingStreamTest {

  static final String FIRST = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n";

  @Test
  void aStreamThatTricklesWithoutCompletingAnEventEndsWithATimeoutErrorEvent() throws Exception {
    var release = new CountDownLatch(1);
    var trickled = new CountDownLatch(1);
    HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("content-type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write(FIRST.getBytes(StandardCharsets.UTF_8));
      out.flush();
      for (String piece : List.of("data: {\"id\"", ":\"c1\",", "\"object\"")) { // never a whole event
        out.write(piece.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      trickled.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    upstream.start();
    var time = new ManualScheduler();
    Scheduler timers = (delay, task) -> {
      var scheduled = time.schedule(delay, task);
      return scheduled::cancel;
    };
    String backend = """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: trickle}
        spec:
          schema: OpenAI
          endpoint: {url: "http://127.0.0.1:%d"}
          timeouts: {idle: 7s}
        """.formatted(upstream.getAddress().getPort());
    try (var gateway = new FrontDoorFixture(gateway() + backend
        + route("[]", "[{group: aigis.dev, kind: AIBackend, name: trickle}]"), UnaryOperator.identity(),
        CompiledProcessing.NONE, timers); var client = HttpClient.newHttpClient()) {
      HttpResponse<Stream<String>> response = client.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofLines());
      assertThat(response.statusCode()).isEqualTo(200);
      Iterator<String> lines = response.body().iterator();
      assertThat(lines.next()).startsWith("data: {\"id\":\"c1\"");
      assertThat(trickled.await(10, TimeUnit.SECONDS)).isTrue();
      // The event relayed above re-armed the event timer; the trickle after it must not have.
      time.advance(Duration.ofSeconds(7));
      List<String> rest = new ArrayList<>();
      lines.forEachRemaining(rest::add);
      assertThat(String.join("\n", rest))
          .contains("\"code\":\"upstream_timeout\"")
          .contains("did not answer within 7000 ms")
          .doesNotContain("\"object\"");
    } finally {
      release.countDown();
      upstream.stop(0);
    }
  }
}
