package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.backend;
import static dev.aigis.server.proxy.FrontDoorFixture.gateway;
import static dev.aigis.server.proxy.FrontDoorFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.exchange.ExchangeSummary;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ConfiguredProcessor;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.Verdict;
import dev.aigis.server.processing.CompiledProcessing;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an exchange is recorded as must say whose fault it was: a client that leaves mid-stream is
 * a 499, not an upstream failure; an upstream status no HTTP client can trust is a 502.
 */
class HonestAccountingTest {

  private static final String STREAM = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private final FakeOpenAiUpstream upstream = FakeOpenAiUpstream.start();
  /** The summary the exchange completed with, from a processor's onComplete hook. */
  private final CompletableFuture<ExchangeSummary> summary = new CompletableFuture<>();
  private FrontDoorFixture gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = new FrontDoorFixture(gateway() + backend("openai", "OpenAI", upstream.port())
        + route("[]", "[{group: aigis.dev, kind: AIBackend, name: openai}]"), UnaryOperator.identity(), summaries());
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  @Test
  void aClientThatLeavesMidStreamIsA499AndNoUpstreamFailure() throws Exception {
    upstream.enqueue(Behavior.ok().withTokens(1_000).withTokensPerSecond(20)); // ~50 s of stream
    try (var socket = new Socket("127.0.0.1", gateway.port())) {
      socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + STREAM.length() + "\r\n\r\n" + STREAM).getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      assertThat(new String(in.readNBytes(15), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");
    } // gone after the first bytes

    ExchangeSummary done = summary.get(10, TimeUnit.SECONDS);
    assertThat(done.status()).isEqualTo(499);
    assertThat(done.errorCode()).isEqualTo("client_closed");
    assertThat(gateway.scrape()).contains("status=\"499\"").doesNotContain("status=\"502\"");
  }

  @Test
  void anUpstreamStatusOutsideHttpsRangeIsA502() throws Exception {
    gateway.close();
    try (var weird = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // An upstream no fake would play: it answers every request with status 999.
      Thread.ofVirtual().start(() -> answerOnce(weird, "HTTP/1.1 999 Weird\r\nContent-Type: application/json\r\n"
          + "Content-Length: 14\r\nConnection: close\r\n\r\n{\"weird\":true}"));
      gateway = new FrontDoorFixture(gateway() + backend("weird", "OpenAI", weird.getLocalPort())
          + route("[]", "[{group: aigis.dev, kind: AIBackend, name: weird}]"), UnaryOperator.identity(), summaries());

      var response = gateway.post("/v1/chat/completions", STREAM.replace("\"stream\":true,", ""));

      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(response.body()).contains("\"code\":\"upstream_invalid_response\"").contains("status 999");
      ExchangeSummary done = summary.get(10, TimeUnit.SECONDS);
      assertThat(done.status()).as(done.toString()).isEqualTo(502);
    }
  }

  @Test
  void aProviderErrorInsideA200StreamIsRecordedWithTheFailuresStatus() throws Exception {
    gateway.close();
    try (var failing = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String events = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
          + "data: {\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\",\"code\":null}}\n\n";
      Thread.ofVirtual().start(() -> answerOnce(failing, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
          + "Connection: close\r\n\r\n" + events));
      gateway = new FrontDoorFixture(gateway() + backend("failing", "OpenAI", failing.getLocalPort())
          + route("[]", "[{group: aigis.dev, kind: AIBackend, name: failing}]"), UnaryOperator.identity(), summaries());

      var response = gateway.post("/v1/chat/completions", STREAM);

      assertThat(response.statusCode()).as("the head was already sent").isEqualTo(200);
      assertThat(response.body()).startsWith("data: {\"id\":\"c1\"")
          .endsWith("\n\n").contains("\"error\":{\"message\":\"The server had an error while processing your request.\"");
      ExchangeSummary done = summary.get(10, TimeUnit.SECONDS);
      assertThat(done.status()).isEqualTo(500);
      assertThat(done.errorCode()).isEqualTo("server_error");
      assertThat(gateway.scrape()).contains("status=\"500\"").doesNotContain("status=\"200\"");
    }
  }

  /** Reads one request's head and body, then writes {@code answer} and closes. */
  private static void answerOnce(ServerSocket server, String answer) {
    try (Socket socket = server.accept()) {
      InputStream in = socket.getInputStream();
      var head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.read());
      }
      String lower = head.toString().toLowerCase(java.util.Locale.ROOT);
      int at = lower.indexOf("content-length:");
      int length = at < 0 ? 0 : Integer.parseInt(lower.substring(at + 15, lower.indexOf('\r', at)).trim());
      in.readNBytes(length);
      socket.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A gateway chain whose only processor registers an onComplete hook. */
  private CompiledProcessing summaries() {
    Processor hook = new Processor() {
      @Override
      public ProcessorNeeds needs() {
        return ProcessorNeeds.REQUEST_HEADERS_ONLY;
      }

      @Override
      public CompletionStage<Verdict> onRequestHeaders(ProcessedRequest request, ExchangeState state) {
        request.context().onComplete(summary::complete);
        return CompletableFuture.completedFuture(Verdict.CONTINUE);
      }
    };
    var chain = new ProcessingChain("default/hook", List.of(new ConfiguredProcessor("hook", null, null, hook)));
    return new CompiledProcessing(Map.of("default/hook", chain), Map.of(), Map.of("default/gw", chain), Map.of());
  }

}
