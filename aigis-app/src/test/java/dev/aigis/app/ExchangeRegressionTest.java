package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeAnthropicUpstream;
import dev.aigis.testkit.FakeAnthropicUpstream.Reply;
import dev.aigis.testkit.FakeExtProcServer;
import dev.aigis.testkit.FakeExtProcServer.Script;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.FakeOptions;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Regressions of the exchange path, one nested class per bug: what the native path does right and
 * the translated (or native Anthropic) path got wrong. Each test states the behaviour the fixed
 * gateway has; the tests named {@code control…} pass on the path that was already right, so a
 * failure next to them points at the bug, not at the set-up.
 *
 * <p>Every exchange runs against a real gateway and the testkit's fakes; nothing sleeps. Requests
 * give up after {@link #CLIENT_TIMEOUT}, so a timeout that is not enforced fails a test instead of
 * hanging it.
 *
 * <p>Longer than our usual class on purpose: the five regressions stay in one place, with the
 * configuration helpers they share, until their fixes land and the tests move beside their peers.
 */
class ExchangeRegressionTest {

  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
  static final String ANTHROPIC_KEY = "sk-ant-upstream";

  // ---- 1. route filters on translated requests ----

  /**
   * One rule, PathPrefix {@code /v1} and model gpt-4o-mini, whose filters set {@code x-route-filter}
   * and rewrite {@code /v1} to {@code /custom/v1}; the upstream serves its API under {@code /custom}
   * too, so a rewritten request is still answered.
   */
  @Nested
  class RouteFiltersApplyToTranslatedRequests {

    static FakeOpenAiUpstream openai;
    static GatewayFixture gateway;

    @BeforeAll
    static void start() {
      openai = FakeOpenAiUpstream.start(FakeOptions.defaults().withPathPrefix("/custom"));
      gateway = GatewayFixture.start(GATEWAY + openAiBackend("openai", openai.port(), "5s") + """
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: filtered}
          spec:
            parentRefs: [{name: gw}]
            rules:
            - matches: [{path: {type: PathPrefix, value: /v1}, headers: [{name: X-Gateway-Model-Name, value: gpt-4o-mini}]}]
              filters:
              - type: RequestHeaderModifier
                requestHeaderModifier: {set: [{name: x-route-filter, value: applied}]}
              - type: URLRewrite
                urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /custom/v1}}
              backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
          """);
    }

    @AfterAll
    static void stop() {
      gateway.close();
      openai.close();
    }

    @BeforeEach
    void clear() {
      openai.reset();
    }

    @Test
    void translatedAnthropicRequestCarriesTheHeaderTheRouteFilterSets() {
      HttpResponse<String> response = messages(gateway, "gpt-4o-mini", false);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(openai.lastRequest().header("x-route-filter"))
          .as("header set by the route's RequestHeaderModifier, as the upstream received it").isEqualTo("applied");
    }

    @Test
    void translatedAnthropicRequestPathIsRewrittenByTheRoutesUrlRewrite() {
      HttpResponse<String> response = messages(gateway, "gpt-4o-mini", false);

      assertThat(response.statusCode()).isEqualTo(200);
      // The backend path the translator chose (/v1/chat/completions) goes through the rewrite of /v1.
      assertThat(openai.lastRequest().path()).as("path the upstream received").isEqualTo("/custom/v1/chat/completions");
    }

    @Test
    void controlNativeOpenAiRequestGetsTheHeaderAndTheRewrittenPath() {
      HttpResponse<String> response = chat(gateway, "gpt-4o-mini", false);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"object\":\"chat.completion\"");
      assertThat(openai.lastRequest().header("x-route-filter")).isEqualTo("applied");
      assertThat(openai.lastRequest().path()).isEqualTo("/custom/v1/chat/completions");
    }
  }

  // ---- 2. route timeouts on translated requests ----

  /**
   * Backends that allow 60 s for an answer, behind rules whose {@code timeouts.request} or {@code
   * timeouts.backendRequest} is 300 ms; the upstreams never answer. The 504 must come from the route's
   * timeout, in the client's error format, long before the client's own timeout.
   */
  @Nested
  class RouteTimeoutsApplyToTranslatedRequests {

    static FakeOpenAiUpstream openai;
    static FakeAnthropicUpstream anthropic;
    static GatewayFixture gateway;

    @BeforeAll
    static void start() {
      openai = FakeOpenAiUpstream.start();
      anthropic = FakeAnthropicUpstream.start(ANTHROPIC_KEY);
      gateway = GatewayFixture.start(GATEWAY + openAiBackend("openai", openai.port(), "60s")
          + anthropicBackend("anthropic", anthropic.port(), "60s") + """
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: timeouts}
          spec:
            parentRefs: [{name: gw}]
            rules:
            - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-request-timeout}]}]
              timeouts: {request: 300ms}
              backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
            - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-backend-request-timeout}]}]
              timeouts: {backendRequest: 300ms}
              backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
            - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-request-timeout}]}]
              timeouts: {request: 300ms}
              backendRefs: [{group: aigis.dev, kind: AIBackend, name: anthropic}]
            - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-backend-request-timeout}]}]
              timeouts: {backendRequest: 300ms}
              backendRefs: [{group: aigis.dev, kind: AIBackend, name: anthropic}]
          """);
    }

    @AfterAll
    static void stop() {
      gateway.close();
      openai.close();
      anthropic.close();
    }

    @BeforeEach
    void hangNext() {
      openai.reset();
      anthropic.reset();
      openai.enqueue(Behavior.ok().hang());
      anthropic.script(Reply.hanging());
    }

    private static final String ANTHROPIC_TIMEOUT_FROM_OPENAI =
        "{\"type\":\"error\",\"error\":{\"type\":\"timeout_error\",\"message\":\"Upstream default/openai did not answer within 300 ms\"}}";
    private static final String OPENAI_TIMEOUT_FROM_ANTHROPIC =
        "{\"error\":{\"message\":\"Upstream default/anthropic did not answer within 300 ms\",\"type\":\"server_error\","
            + "\"param\":null,\"code\":\"upstream_timeout\"}}";

    @Test
    void anthropicClientToOpenAiBackendGets504InItsFormatAfterTheRoutesRequestTimeout() {
      assertGatewayTimeout(() -> messages(gateway, "gpt-request-timeout", false), ANTHROPIC_TIMEOUT_FROM_OPENAI);
    }

    @Test
    void anthropicClientToOpenAiBackendGets504InItsFormatAfterTheRoutesBackendRequestTimeout() {
      assertGatewayTimeout(() -> messages(gateway, "gpt-backend-request-timeout", false), ANTHROPIC_TIMEOUT_FROM_OPENAI);
    }

    @Test
    void openAiClientToAnthropicBackendGets504InItsFormatAfterTheRoutesRequestTimeout() {
      assertGatewayTimeout(() -> chat(gateway, "claude-request-timeout", false), OPENAI_TIMEOUT_FROM_ANTHROPIC);
    }

    @Test
    void openAiClientToAnthropicBackendGets504InItsFormatAfterTheRoutesBackendRequestTimeout() {
      assertGatewayTimeout(() -> chat(gateway, "claude-backend-request-timeout", false), OPENAI_TIMEOUT_FROM_ANTHROPIC);
    }

    @Test
    void controlNativeOpenAiRequestGets504AfterTheRoutesRequestTimeout() {
      assertGatewayTimeout(() -> chat(gateway, "gpt-request-timeout", false),
          "{\"error\":{\"message\":\"Upstream default/openai did not answer within 300 ms\",\"type\":\"server_error\","
              + "\"param\":null,\"code\":\"upstream_timeout\"}}");
    }

    @Test
    void controlNativeAnthropicRequestGets504InItsFormatAfterTheRoutesBackendRequestTimeout() {
      assertGatewayTimeout(() -> messages(gateway, "claude-backend-request-timeout", false),
          "{\"type\":\"error\",\"error\":{\"type\":\"timeout_error\",\"message\":\"Upstream default/anthropic did not answer within 300 ms\"}}");
    }

    /** A 504 with exactly {@code body}, after the route's 300 ms and well before the backend's 60 s. */
    private static void assertGatewayTimeout(java.util.function.Supplier<HttpResponse<String>> exchange, String body) {
      long start = System.nanoTime();
      HttpResponse<String> response = exchange.get();
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

      assertThat(response.statusCode()).isEqualTo(504);
      assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(response.body()).isEqualTo(body);
      assertThat(millis).as("milliseconds until the 504").isBetween(300L, 5_000L);
    }
  }

  // ---- 3. token usage of native Anthropic answers ----

  /**
   * An Anthropic client to an Anthropic backend: the answer passes through untouched, and its usage
   * ({@code input_tokens}, {@code output_tokens}) must still reach the metrics and the processors.
   */
  @Nested
  class NativeAnthropicUsageIsCounted {

    static FakeAnthropicUpstream anthropic;
    static GatewayFixture plain;
    static GatewayFixture processed;

    /** The models are declared (model-header matches), so metrics label them by name rather than "other". */
    private static final String ROUTE = """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: claude}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches:
            - headers: [{name: X-Gateway-Model-Name, value: claude-plain}]
            - headers: [{name: X-Gateway-Model-Name, value: claude-streamed}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: anthropic}]
        """;

    @BeforeAll
    static void start() {
      anthropic = FakeAnthropicUpstream.start(ANTHROPIC_KEY);
      String config = GATEWAY + anthropicBackend("anthropic", anthropic.port(), "5s") + ROUTE;
      plain = GatewayFixture.start(config);
      processed = GatewayFixture.start(config + """
          ---
          apiVersion: aigis.dev/v1alpha1
          kind: PayloadProcessor
          metadata: {name: usage}
          spec:
            targetRef: {kind: HTTPRoute, name: claude}
            phase: PostRouting
            processors:
            - name: usage-headers
              type: InProcess
              inProcess:
                response:
                  setHeaders:
                  - {name: x-input-tokens, value: "string(response.usage.input)"}
                  - {name: x-output-tokens, value: "string(response.usage.output)"}
                  - {name: x-total-tokens, value: "string(response.usage.total)"}
          """);
    }

    @AfterAll
    static void stop() {
      plain.close();
      processed.close();
      anthropic.close();
    }

    @BeforeEach
    void clear() {
      anthropic.reset();
    }

    @Test
    void plainAnswerCountsTheUpstreamsInputAndOutputTokens() {
      anthropic.script(Reply.text("native answer").withUsage(21, 8));
      HttpResponse<String> response = messages(plain, "claude-plain", false);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"input_tokens\":21").contains("\"output_tokens\":8");
      assertTokenUsage(plain, "claude-plain", 21, 8);
    }

    @Test
    void streamedAnswerCountsTheUpstreamsInputAndOutputTokens() {
      anthropic.script(Reply.text("one two three").withUsage(21, 8));
      HttpResponse<String> response = messages(plain, "claude-streamed", true);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).startsWith("event: message_start\n").endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
      // Input comes with message_start, the final output count with message_delta.
      assertTokenUsage(plain, "claude-streamed", 21, 8);
    }

    @Test
    void responseProcessorSeesTheUpstreamsUsageOnAPlainAnswer() {
      anthropic.script(Reply.text("native answer").withUsage(21, 8));
      HttpResponse<String> response = messages(processed, "claude-plain", false);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-input-tokens")).hasValue("21");
      assertThat(response.headers().firstValue("x-output-tokens")).hasValue("8");
      assertThat(response.headers().firstValue("x-total-tokens")).hasValue("29");
    }

    /** One call of {@code model} counted with exactly these tokens (the sums equal them). */
    private static void assertTokenUsage(GatewayFixture gateway, String model, int input, int output) {
      String labels = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"anthropic\",gen_ai_request_model=\"" + model + "\"";
      // Metrics are recorded just after the last byte goes out: wait for the call (output is recorded
      // last), then read the sums.
      String metrics = awaitMetric(gateway, "gen_ai_client_token_usage_count{" + labels + ",gen_ai_token_type=\"output\"}", "1");
      assertThat(metric(metrics, "gen_ai_client_token_usage_sum{" + labels + ",gen_ai_token_type=\"input\"}"))
          .as("input tokens counted").isEqualTo(input + ".0");
      assertThat(metric(metrics, "gen_ai_client_token_usage_sum{" + labels + ",gen_ai_token_type=\"output\"}"))
          .as("output tokens counted").isEqualTo(output + ".0");
    }
  }

  // ---- 4. native Anthropic streams reach response processors event by event ----

  /**
   * Response processors are promised SSE answers event by event (docs/processing.md). CEL response
   * expressions cannot see bodies, so the observer is an ext_proc processor with only {@code
   * responseBodyMode: STREAMED}: each response_body message it receives is what the data plane
   * handed the processor as one chunk. The fake upstream writes its stream in 50-byte pieces, as a
   * network may deliver it, so chunks that are not parsed into events would show.
   */
  @Nested
  class NativeAnthropicStreamsReachProcessorsEventByEvent {

    static FakeAnthropicUpstream anthropic;
    static FakeExtProcServer ext;
    static GatewayFixture gateway;

    @BeforeAll
    static void start() {
      anthropic = FakeAnthropicUpstream.start(ANTHROPIC_KEY);
      ext = FakeExtProcServer.start(Script.continueAll());
      gateway = GatewayFixture.start(GATEWAY + anthropicBackend("anthropic", anthropic.port(), "5s") + """
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: claude}
          spec:
            parentRefs: [{name: gw}]
            rules:
            - matches: [{path: {type: PathPrefix, value: /v1/messages}}]
              backendRefs: [{group: aigis.dev, kind: AIBackend, name: anthropic}]
          """ + responseBodyExtProc("events", "{kind: HTTPRoute, name: claude}", ext.port()));
    }

    @AfterAll
    static void stop() throws InterruptedException {
      gateway.close();
      ext.close();
      anthropic.close();
    }

    @Test
    void eachEventOfANativeAnthropicStreamReachesTheProcessorWhole() {
      anthropic.script(Reply.text("one two three four five").withUsage(9, 5).withStreamWrites(50));
      HttpResponse<String> response = messages(gateway, "claude-sonnet-4-5", true);

      assertThat(response.statusCode()).isEqualTo(200);
      List<String> events = List.of(response.body().split("(?<=\n\n)"));
      // message_start, ping, content_block_start, five text deltas, content_block_stop, message_delta, message_stop
      assertThat(events).hasSize(11).allSatisfy(e -> assertThat(e).startsWith("event: "));
      List<String> received = responseBodyMessages(ext);
      // First in brief (the event each message holds), then byte for byte.
      assertThat(received.stream().map(NativeAnthropicStreamsReachProcessorsEventByEvent::eventName).toList())
          .as("what each response_body message the processor received holds")
          .containsExactlyElementsOf(events.stream().map(NativeAnthropicStreamsReachProcessorsEventByEvent::eventName).toList());
      assertThat(received).as("response_body messages the processor received, in order").containsExactlyElementsOf(events);
    }

    /** The name of the one whole SSE event {@code message} is, else a note of its size. */
    private static String eventName(String message) {
      Matcher m = ONE_EVENT.matcher(message);
      return m.matches() ? m.group(1) : "<not one whole event: " + message.length() + " bytes>";
    }

    private static final Pattern ONE_EVENT = Pattern.compile("event: (\\w+)\ndata: \\{[^\n]*\\}\n\n");
  }

  // ---- 5. response-side processor errors in the client's format ----

  /**
   * A FailClosed ext_proc processor that breaks the protocol on a response_body message (it answers
   * with a request_headers message): on the first for plain answers (nothing has been written yet),
   * on the second for streams (the head and the first event are out). Route {@code plain} (models
   * claude-plain, gpt-plain) and route {@code streamed} (claude-streamed, gpt-streamed) each have
   * such a processor; the claude models are native, the gpt models translated for Anthropic clients.
   */
  @Nested
  class ResponseSideProcessorErrorsUseTheClientsFormat {

    static FakeAnthropicUpstream anthropic;
    static FakeOpenAiUpstream openai;
    static FakeExtProcServer failFirst;
    static FakeExtProcServer failSecond;
    static GatewayFixture gateway;

    private static final String MESSAGE = "Processor ext failed: ext_proc processor ext: answered request_headers to response_body";

    @BeforeAll
    static void start() {
      anthropic = FakeAnthropicUpstream.start(ANTHROPIC_KEY);
      openai = FakeOpenAiUpstream.start();
      failFirst = FakeExtProcServer.start(Script.failingResponseAfter(1));
      failSecond = FakeExtProcServer.start(Script.failingResponseAfter(2));
      gateway = GatewayFixture.start(GATEWAY + anthropicBackend("anthropic", anthropic.port(), "5s")
          + openAiBackend("openai", openai.port(), "5s") + """
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: plain}
          spec:
            parentRefs: [{name: gw}]
            rules:
            - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-plain}]}]
              backendRefs: [{group: aigis.dev, kind: AIBackend, name: anthropic}]
            - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-plain}]}]
              backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: streamed}
          spec:
            parentRefs: [{name: gw}]
            rules:
            - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-streamed}]}]
              backendRefs: [{group: aigis.dev, kind: AIBackend, name: anthropic}]
            - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-streamed}]}]
              backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
          """ + responseBodyExtProc("fail-first", "{kind: HTTPRoute, name: plain}", failFirst.port())
          + responseBodyExtProc("fail-second", "{kind: HTTPRoute, name: streamed}", failSecond.port()));
    }

    @AfterAll
    static void stop() throws InterruptedException {
      gateway.close();
      failFirst.close();
      failSecond.close();
      openai.close();
      anthropic.close();
    }

    private static final String ANTHROPIC_ERROR =
        "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"" + MESSAGE + "\"}}";

    @Test
    void nativePlainAnswerFailsWithAnAnthropicErrorBody() {
      assertPlainAnthropicError(messages(gateway, "claude-plain", false));
    }

    @Test
    void translatedPlainAnswerFailsWithAnAnthropicErrorBody() {
      assertPlainAnthropicError(messages(gateway, "gpt-plain", false));
    }

    @Test
    void nativeStreamEndsWithAnAnthropicErrorEvent() {
      assertStreamEndsWithAnthropicError(messages(gateway, "claude-streamed", true));
    }

    @Test
    void translatedStreamEndsWithAnAnthropicErrorEvent() {
      assertStreamEndsWithAnthropicError(messages(gateway, "gpt-streamed", true));
    }

    @Test
    void controlOpenAiStreamEndsWithAnOpenAiErrorEvent() {
      HttpResponse<String> response = chat(gateway, "gpt-streamed", true);

      assertThat(response.statusCode()).isEqualTo(200);
      List<String> events = List.of(response.body().split("(?<=\n\n)"));
      assertThat(events).hasSize(2);
      assertThat(events.getFirst()).startsWith("data: {").contains("\"role\":\"assistant\"");
      assertThat(events.getLast()).isEqualTo("data: {\"error\":{\"message\":\"" + MESSAGE
          + "\",\"type\":\"server_error\",\"param\":null,\"code\":\"processor_failed\"}}\n\n");
    }

    private static void assertPlainAnthropicError(HttpResponse<String> response) {
      assertThat(response.body()).isEqualTo(ANTHROPIC_ERROR);
      // Nothing had been written when the processor failed, so this is the documented FailClosed
      // answer (docs/processing.md: 500 processor_failed): an error body under a 200 is read as a message.
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    }

    private static void assertStreamEndsWithAnthropicError(HttpResponse<String> response) {
      assertThat(response.statusCode()).isEqualTo(200);
      List<String> events = List.of(response.body().split("(?<=\n\n)"));
      assertThat(events.getLast()).as("last event").isEqualTo("event: error\ndata: " + ANTHROPIC_ERROR + "\n\n");
      assertThat(events.getFirst()).startsWith("event: message_start\n");
      assertThat(events).as("events before the error").hasSize(2);
    }
  }

  // ---- configuration and requests shared by the nested classes ----

  static final String GATEWAY = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw}
      spec:
        gatewayClassName: aigis
        listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
      """;

  /** An OpenAI-schema AIBackend at {@code 127.0.0.1:port}, waiting {@code timeout} for an answer and between chunks. */
  static String openAiBackend(String name, int port, String timeout) {
    return """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: %s}
        spec:
          schema: OpenAI
          endpoint: {url: "http://127.0.0.1:%d"}
          timeouts: {connect: 2s, response: %s, idle: %s}
        """.formatted(name, port, timeout, timeout);
  }

  /** An Anthropic-schema AIBackend at {@code 127.0.0.1:port} with the fake's key, timeouts as {@link #openAiBackend}. */
  static String anthropicBackend(String name, int port, String timeout) {
    return """
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: %1$s-key}
        stringData: {apiKey: %4$s}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: %1$s}
        spec:
          schema: Anthropic
          endpoint: {url: "http://127.0.0.1:%2$d"}
          credentials: {secretRef: {name: %1$s-key, key: apiKey}}
          timeouts: {connect: 2s, response: %3$s, idle: %3$s}
        """.formatted(name, port, timeout, ANTHROPIC_KEY);
  }

  /** A PayloadProcessor on {@code target} (PostRouting) of one FailClosed ext_proc processor {@code ext} that sees response bodies only. */
  static String responseBodyExtProc(String name, String target, int port) {
    return """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: %s}
        spec:
          targetRef: %s
          phase: PostRouting
          processors:
          - name: ext
            type: ExtProcess
            failureMode: FailClosed
            timeout: 5s
            extProcess:
              host: 127.0.0.1
              port: %d
              processingMode: {requestHeaderMode: SKIP, requestBodyMode: NONE, responseHeaderMode: SKIP, responseBodyMode: STREAMED}
        """.formatted(name, target, port);
  }

  /** An Anthropic Messages request, as the Anthropic SDK sends it. */
  static HttpResponse<String> messages(GatewayFixture gateway, String model, boolean stream) {
    return send(gateway, HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages"))
        .header("content-type", "application/json")
        .header("x-api-key", "sk-ant-client")
        .header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"max_tokens\":20,\"stream\":" + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
  }

  /** An OpenAI chat completions request. */
  static HttpResponse<String> chat(GatewayFixture gateway, String model, boolean stream) {
    return send(gateway, HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .header("content-type", "application/json")
        .header("authorization", "Bearer sk-client")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":" + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
  }

  /** Sends with {@link #CLIENT_TIMEOUT}; a gateway that has not answered by then fails the test, naming the wait. */
  private static HttpResponse<String> send(GatewayFixture gateway, HttpRequest.Builder request) {
    HttpRequest built = request.timeout(CLIENT_TIMEOUT).build();
    try {
      return gateway.send(built);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof HttpTimeoutException) {
        throw new AssertionError("the gateway did not answer " + built.method() + " " + built.uri().getPath()
            + " within the client's " + CLIENT_TIMEOUT.toSeconds() + " s", e);
      }
      throw e;
    }
  }

  /** Bodies of the response_body messages the ext_proc server received that carry bytes, in arrival order. */
  static List<String> responseBodyMessages(FakeExtProcServer ext) {
    return ext.received().stream().filter(ProcessingRequest::hasResponseBody)
        .map(m -> m.getResponseBody().getBody().toStringUtf8()).filter(body -> !body.isEmpty()).toList();
  }

  /** The value of the Prometheus sample {@code series} ({@code name{labels}}) in {@code metrics}, or null. */
  static String metric(String metrics, String series) {
    return metrics.lines().filter(l -> l.startsWith(series + " ")).map(l -> l.substring(series.length() + 1))
        .findFirst().orElse(null);
  }

  /**
   * The admin endpoint's metrics once {@code series} has {@code value}, polling for up to 5 s
   * (the exchange is recorded just after its last byte is written); the last scrape otherwise.
   */
  static String awaitMetric(GatewayFixture gateway, String series, String value) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    String metrics = gateway.admin("/metrics").body();
    while (!value.equals(metric(metrics, series)) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      metrics = gateway.admin("/metrics").body();
    }
    return metrics;
  }
}
