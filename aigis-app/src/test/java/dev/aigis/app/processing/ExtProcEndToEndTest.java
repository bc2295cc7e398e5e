package dev.aigis.app.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.app.Configs;
import dev.aigis.app.GatewayFixture;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeExtProcServer;
import dev.aigis.testkit.FakeExtProcServer.Script;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.RecordedRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ExtProcess processors end to end: a real gateway, a real ext_proc gRPC server
 * ({@link FakeExtProcServer}) and the fake OpenAI upstream. Each test states one rule of the data
 * plane and checks exact statuses and bodies as the client sees them.
 */
class ExtProcEndToEndTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"my secret\"}]}";
  private static final String STREAMED_CHAT =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
  private static final Pattern CONTENT = Pattern.compile("\"content\":\"([^\"]*)\"");

  static FakeOpenAiUpstream upstream;
  static FakeOpenAiUpstream otherUpstream;

  @BeforeAll
  static void startUpstreams() {
    upstream = FakeOpenAiUpstream.start();
    otherUpstream = FakeOpenAiUpstream.start();
  }

  @AfterAll
  static void stopUpstreams() {
    upstream.close();
    otherUpstream.close();
  }

  @BeforeEach
  void resetUpstreams() {
    upstream.reset();
    otherUpstream.reset();
  }

  // ---- mutations ----

  @Test
  void postRoutingMutationsReachTheUpstreamWithTheReplacedBodyAndItsLength() throws Exception {
    String replaced = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"my [redacted]\"}]}";
    try (var ext = FakeExtProcServer.start(Script.mutating(Map.of("x-guard", "checked"), replaced));
        var gateway = gateway("PostRouting", "FailClosed", "300ms", ext.port())) {
      HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

      assertThat(response.statusCode()).isEqualTo(200);
      RecordedRequest sent = upstream.lastRequest();
      assertThat(sent.header("x-guard")).isEqualTo("checked");
      assertThat(sent.bodyText()).isEqualTo(replaced);
      assertThat(sent.header("content-length")).isEqualTo(Integer.toString(replaced.getBytes(StandardCharsets.UTF_8).length));
      List<ProcessingRequest> received = ext.received();
      assertThat(received.get(0).hasRequestHeaders()).isTrue();
      assertThat(received.get(1).getRequestBody().getBody().toStringUtf8()).isEqualTo(CHAT);
    }
  }

  @Test
  void preRoutingModelHeaderMutationReroutesBecauseMatchingRunsAfterIt() throws Exception {
    try (var ext = FakeExtProcServer.start(Script.mutating(Map.of("X-Gateway-Model-Name", "gpt-4o"), null));
        var gateway = gateway("PreRouting", "FailClosed", "300ms", ext.port())) {
      HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(upstream.requests()).isEmpty();
      RecordedRequest sent = otherUpstream.lastRequest();
      assertThat(sent.header("x-gateway-model-name")).isEqualTo("gpt-4o");
      assertThat(sent.bodyText()).isEqualTo(CHAT);
    }
  }

  // ---- immediate responses ----

  @Test
  void immediateResponseOnRequestHeadersReachesTheClientAndNothingGoesUpstream() throws Exception {
    try (var ext = FakeExtProcServer.start(Script.rejecting(403, "{\"error\":\"blocked by policy\"}"));
        var gateway = gateway("PostRouting", "FailClosed", "300ms", ext.port())) {
      HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.body()).isEqualTo("{\"error\":\"blocked by policy\"}");
      assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(upstream.requests()).isEmpty();
      assertThat(ext.messagesReceived()).isEqualTo(1);
    }
  }

  // ---- timeouts and failure modes ----

  @Test
  void failClosedProcessorThatHangsPastItsTimeoutAnswers504() throws Exception {
    try (var ext = FakeExtProcServer.start(Script.hanging());
        var gateway = gateway("PostRouting", "FailClosed", "300ms", ext.port())) {
      HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

      assertThat(response.statusCode()).isEqualTo(504);
      assertThat(response.body()).isEqualTo("{\"error\":{\"message\":\"Processor ext did not answer within 300 ms\","
          + "\"type\":\"server_error\",\"param\":null,\"code\":\"processor_timeout\"}}");
      assertThat(upstream.requests()).isEmpty();
      ext.awaitStreamsCancelled(1, Duration.ofSeconds(5));
    }
  }

  @Test
  void failOpenProcessorThatHangsIsSkippedAndItsStreamCancelled() throws Exception {
    try (var ext = FakeExtProcServer.start(Script.hanging());
        var gateway = gateway("PostRouting", "FailOpen", "300ms", ext.port())) {
      HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(upstream.lastRequest().bodyText()).isEqualTo(CHAT);
      ext.awaitStreamsCancelled(1, Duration.ofSeconds(5));
      assertThat(ext.streamsOpened()).isEqualTo(1);
      assertThat(ext.messagesReceived()).as("nothing is sent on an abandoned stream").isEqualTo(1);
    }
  }

  @Test
  void failClosedProcessorThatIsDownAnswers500() {
    try (var gateway = gateway("PostRouting", "FailClosed", "300ms", FakeExtProcServer.downPort())) {
      HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

      assertThat(response.statusCode()).isEqualTo(500);
      // ExtProcException is not a ProcessorException, so the chain shows its class, not its message.
      assertThat(response.body()).isEqualTo("{\"error\":{\"message\":\"Processor ext failed: ext_proc processor ext: stream failed during request_headers: UNAVAILABLE (io exception)\","
          + "\"type\":\"server_error\",\"param\":null,\"code\":\"processor_failed\"}}");
      assertThat(upstream.requests()).isEmpty();
    }
  }

  @Test
  void failOpenProcessorThatIsDownIsSkipped() {
    try (var gateway = gateway("PostRouting", "FailOpen", "300ms", FakeExtProcServer.downPort())) {
      HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(upstream.lastRequest().bodyText()).isEqualTo(CHAT);
    }
  }

  // ---- the response stream ----

  @Test
  void streamedEventsAreReplacedByTheProcessorInOrderAndEndWithDone() throws Exception {
    upstream.enqueue(Behavior.ok().withReply("hello brave new world"));
    try (var ext = FakeExtProcServer.start(Script.replacingResponseChunks(ExtProcEndToEndTest::upperCaseContent));
        var gateway = gateway("PostRouting", "FailClosed", "300ms", ext.port())) {
      HttpResponse<String> response = gateway.post("/v1/chat/completions", STREAMED_CHAT);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(contents(response.body())).containsExactly("", "HELLO", " BRAVE", " NEW", " WORLD"); // the role chunk has empty content
      assertThat(response.body()).endsWith("}\n\ndata: [DONE]\n\n");
      assertThat(response.body()).doesNotContain("usage\":{"); // the gateway's own usage chunk stays dropped
    }
  }

  @Test
  void immediateResponseMidStreamEndsTheStreamWithAnOpenAiErrorEvent() throws Exception {
    upstream.enqueue(Behavior.ok().withReply("hello brave new world"));
    try (var ext = FakeExtProcServer.start(Script.endingResponseAfter(2, 403));
        var gateway = gateway("PostRouting", "FailClosed", "300ms", ext.port())) {
      HttpResponse<String> response = gateway.post("/v1/chat/completions", STREAMED_CHAT);

      assertThat(response.statusCode()).isEqualTo(200);
      List<String> events = List.of(response.body().split("\n\n"));
      assertThat(events).hasSize(2);
      assertThat(events.get(0)).startsWith("data: {").contains("\"role\":\"assistant\"");
      assertThat(events.get(1)).isEqualTo("data: {\"error\":{\"message\":\"Processor ext failed: immediate response 403"
          + " during the response body: stopped after 2 chunks\",\"type\":\"server_error\",\"param\":null,"
          + "\"code\":\"processor_failed\"}}");
      assertThat(response.body()).doesNotContain("hello").doesNotContain("[DONE]");
    }
  }

  // ---- cancellation ----

  @Test
  void clientDisconnectCancelsTheProcessorStream() throws Exception {
    try (var ext = FakeExtProcServer.start(Script.hanging());
        var gateway = gateway("PostRouting", "FailClosed", "30s", ext.port())) {
      try (Socket socket = new Socket("127.0.0.1", gateway.port)) {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + CHAT.length() + "\r\n\r\n" + CHAT).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ext.awaitMessagesReceived(1, Duration.ofSeconds(5));
        assertThat(ext.messagesReceived()).as("the processor is waiting on the request headers").isEqualTo(1);
        assertThat(ext.streamsCancelled()).isZero();
      } // the client goes away while the processor holds the request
      ext.awaitStreamsCancelled(1, Duration.ofSeconds(5));
      assertThat(upstream.requests()).isEmpty();
    }
  }

  // ---- metrics ----

  @Test
  void processorTimeoutIsCountedByChainProcessorStageAndOutcome() throws Exception {
    try (var ext = FakeExtProcServer.start(Script.hanging());
        var gateway = gateway("PostRouting", "FailClosed", "300ms", ext.port())) {
      assertThat(gateway.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(504);

      assertThat(processorCounts(gateway)).containsExactly("aigis_processor_duration_seconds_count{chain=\"default/guard\","
          + "outcome=\"TIMED_OUT_CLOSED\",processor=\"ext\",stage=\"REQUEST_HEADERS\"} 1");
    }
  }

  @Test
  void everyStageOfACompletedExchangeIsCountedAsContinuedAndItsStreamEndsWithoutCancel() throws Exception {
    upstream.setDefault(Behavior.ok().withReply("hello brave new world"));
    try (var ext = FakeExtProcServer.start(Script.continueAll());
        var gateway = gateway("PostRouting", "FailClosed", "300ms", ext.port())) {
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", STREAMED_CHAT);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
      }

      // Per stream: the role event, 4 content events, the finish event, [DONE] and the end of stream.
      assertThat(processorCounts(gateway)).containsExactly(
          "aigis_processor_duration_seconds_count{chain=\"default/guard\",outcome=\"CONTINUED\",processor=\"ext\",stage=\"REQUEST_BODY\"} 5",
          "aigis_processor_duration_seconds_count{chain=\"default/guard\",outcome=\"CONTINUED\",processor=\"ext\",stage=\"REQUEST_HEADERS\"} 5",
          "aigis_processor_duration_seconds_count{chain=\"default/guard\",outcome=\"CONTINUED\",processor=\"ext\",stage=\"RESPONSE_CHUNK\"} 40",
          "aigis_processor_duration_seconds_count{chain=\"default/guard\",outcome=\"CONTINUED\",processor=\"ext\",stage=\"RESPONSE_HEADERS\"} 5");
      // Each stream ends once, by half-close or by cancel; wait for all five ends, then see which.
      ext.awaitStreamsEnded(5, Duration.ofSeconds(5));
      assertThat(ext.streamsOpened()).isEqualTo(5);
      assertThat(ext.streamsCancelled()).as("a completed exchange half-closes; it is not cancelled").isZero();
    }
  }

  // ---- helpers ----

  /**
   * The shared test configuration plus a PayloadProcessor {@code default/guard} on Gateway {@code
   * gw} with one ExtProcess processor {@code ext}, and model {@code gpt-4o} on a second upstream.
   */
  private static GatewayFixture gateway(String phase, String failureMode, String timeout, int extProcPort) {
    return GatewayFixture.start(Configs.openAiUpstream(upstream.port()) + """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: other}
        spec:
          schema: OpenAI
          endpoint: {host: 127.0.0.1, port: %d}
          timeouts: {connect: 2s, response: 2s, idle: 2s}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: other-models}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: other}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: guard}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
          phase: %s
          processors:
          - name: ext
            type: ExtProcess
            failureMode: %s
            timeout: %s
            extProcess:
              host: 127.0.0.1
              port: %d
              processingMode: {requestHeaderMode: SEND, requestBodyMode: BUFFERED, responseHeaderMode: SEND, responseBodyMode: STREAMED}
        """.formatted(otherUpstream.port(), phase, failureMode, timeout, extProcPort));
  }

  /** Upper-cases the {@code content} of a chat chunk event, leaving the SSE framing and JSON keys alone. */
  private static String upperCaseContent(String event) {
    Matcher m = CONTENT.matcher(event);
    return m.replaceAll(r -> Matcher.quoteReplacement("\"content\":\"" + r.group(1).toUpperCase(Locale.ROOT) + "\""));
  }

  private static List<String> contents(String sse) {
    List<String> out = new ArrayList<>();
    Matcher m = CONTENT.matcher(sse);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static List<String> processorCounts(GatewayFixture gateway) {
    return gateway.admin("/metrics").body().lines().filter(l -> l.startsWith("aigis_processor_duration_seconds_count")).toList();
  }
}
