package dev.aigis.server.extproc;

import static dev.aigis.server.extproc.FakeEnvoy.chatHeaders;
import static dev.aigis.server.extproc.FakeEnvoy.requestBody;
import static dev.aigis.server.extproc.FakeEnvoy.requestHeaders;
import static dev.aigis.server.extproc.FakeEnvoy.responseBody;
import static dev.aigis.server.extproc.FakeEnvoy.responseHeaders;
import static dev.aigis.server.extproc.FakeEnvoy.setHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ChunkVerdict;
import dev.aigis.core.processing.ConfiguredProcessor;
import dev.aigis.core.processing.FailureMode;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.usage.TokenUsage;
import dev.aigis.server.proxy.RuntimeConfig;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regressions of the ext_proc server (issue item 6): what the data plane did and the ext_proc
 * server did not, before both ran the one exchange pipeline. Each test replays Envoy's messages
 * ({@link FakeEnvoy}) and checks the server's answers; nothing sleeps.
 */
class ExtProcRegressionTest {

  private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  /** An AIBackend (never called: Envoy sends upstream) and HTTPRoute {@code models}: gpt-4o to it. */
  private static final String ROUTE = """
      apiVersion: aigis.dev/v1alpha1
      kind: AIBackend
      metadata: {name: openai}
      spec:
        schema: OpenAI
        endpoint: {url: "http://127.0.0.1:1"}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: models}
      spec:
        parentRefs: [{name: aigis}]
        rules:
        - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o}]}]
      %s
          backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
      """;

  private ExtProcServer server;
  private FakeEnvoy envoy;

  @AfterEach
  void stop() throws Exception {
    if (envoy != null) {
      envoy.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private FakeEnvoy.Stream open(ExtProcServer.Builder builder) throws Exception {
    server = builder.shutdownGrace(Duration.ZERO).build().start();
    envoy = new FakeEnvoy(server.port());
    return envoy.open();
  }

  private FakeEnvoy.Stream open(String resources) throws Exception {
    RuntimeConfig runtime = ExtProcServerTest.runtime(resources);
    return open(ExtProcServer.builder(() -> runtime, "default/aigis"));
  }

  // ---- (a) the built-in model-header step ----

  @Test
  void bodyModelBecomesTheModelHeaderWithNoPayloadProcessorAndOverwritesTheClients() throws Exception {
    var stream = open(ROUTE.formatted(""));

    stream.send(chatHeaders(false, "content-length", Integer.toString(CHAT.length()), "x-gateway-model-name", "spoofed"));
    ProcessingResponse first = stream.next();
    assertThat(first.getRequestHeaders().getResponse()).as("nothing is known before the body").isEqualTo(
        CommonResponse.getDefaultInstance());
    assertThat(first.getModeOverride().getRequestBodyMode())
        .as("the model routes the request, so its body is asked for without any processor").isEqualTo(BodySendMode.BUFFERED);

    stream.send(requestBody(CHAT, true));
    CommonResponse common = stream.next().getRequestBody().getResponse();

    assertThat(setHeaders(common.getHeaderMutation())).containsExactly(Map.entry("x-gateway-model-name", "gpt-4o"));
    assertThat(common.getHeaderMutation().getRemoveHeadersList()).isEmpty();
    assertThat(common.getClearRouteCache()).as("Envoy re-routes on the model header").isTrue();
    assertThat(common.hasBodyMutation()).isFalse();
  }

  @Test
  void bodyModelBecomesTheModelHeaderWhenEnvoyAloneRoutes() throws Exception {
    var stream = open(""); // a Gateway without HTTPRoutes: routing is Envoy's alone

    stream.send(chatHeaders(false));
    assertThat(stream.next().getModeOverride().getRequestBodyMode()).isEqualTo(BodySendMode.BUFFERED);
    stream.send(requestBody(CHAT, true));

    assertThat(setHeaders(stream.next().getRequestBody().getResponse().getHeaderMutation()))
        .containsExactly(Map.entry("x-gateway-model-name", "gpt-4o"));
  }

  // ---- (b) response.usage for response processors ----

  @Test
  void responseProcessorSeesTheUsageOfAnOpenAiStreamAtItsEnd() throws Exception {
    List<TokenUsage> seen = Collections.synchronizedList(new ArrayList<>());
    var stream = open(ExtProcServer.builder(null, usageRecorder(BodyMode.STREAMED, seen)));
    sendChat(stream, "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    stream.send(responseHeaders(false, ":status", "200", "content-type", "text/event-stream"));
    stream.next();
    String events = """
        data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"}}]}

        data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

        data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}}

        data: [DONE]

        """;
    int cut = events.indexOf("\"usage\"") + 12; // the usage chunk arrives in two pieces
    stream.send(responseBody(events.substring(0, cut), false));
    stream.send(responseBody(events.substring(cut), true));
    stream.next();
    stream.next();

    assertThat(seen).as("response.usage() when the processor saw the end of the stream")
        .containsExactly(new TokenUsage(7, 3, 10, 0, 0));
  }

  @Test
  void responseProcessorSeesTheUsageOfAPlainJsonAnswerAtItsEnd() throws Exception {
    List<TokenUsage> seen = Collections.synchronizedList(new ArrayList<>());
    var stream = open(ExtProcServer.builder(null, usageRecorder(BodyMode.STREAMED, seen)));
    sendChat(stream, CHAT);

    stream.send(responseHeaders(false, ":status", "200", "content-type", "application/json"));
    stream.next();
    String answer = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
        + "{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17}}";
    stream.send(responseBody(answer.substring(0, 40), false));
    stream.send(responseBody(answer.substring(40), true));
    stream.next();
    stream.next();

    assertThat(seen).containsExactly(new TokenUsage(12, 5, 17, 0, 0));
  }

  /** A post-routing chain whose processor records {@code response.usage()} on the end-of-stream chunk. */
  private static ProcessingChain usageRecorder(BodyMode body, List<TokenUsage> seen) {
    var recorder = new TestProcessor(new ProcessorNeeds(false, BodyMode.NONE, false, body, 0));
    recorder.responseChunks = (response, chunk) -> {
      if (chunk.endOfStream()) {
        seen.add(response.usage());
      }
      return TestProcessor.done(ChunkVerdict.pass(chunk));
    };
    return new ProcessingChain("default/post", List.of(new ConfiguredProcessor("usage", FailureMode.FailClosed, null, recorder)));
  }

  /** Request headers and body of a chat completion, each answered. */
  private static void sendChat(FakeEnvoy.Stream stream, String body) throws InterruptedException {
    stream.send(chatHeaders(false));
    assertThat(stream.next().hasRequestHeaders()).isTrue();
    stream.send(requestBody(body, true));
    assertThat(stream.next().hasRequestBody()).isTrue();
  }

  // ---- (c) route-level PostRouting and ExtensionRef chains ----

  @Test
  void extensionRefAndRoutePostRoutingChainsOfTheMatchedRuleRun() throws Exception {
    var stream = open(ROUTE.formatted("""
            filters:
            - type: ExtensionRef
              extensionRef: {group: aigis.dev, kind: PayloadProcessor, name: tag}
        """) + """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: tag}
        spec:
          processors:
          - name: tag
            type: InProcess
            inProcess:
              request:
                setHeaders: [{name: x-ext-ref, value: "'ref'"}]
              response:
                setHeaders: [{name: x-ext-ref-response, value: "'ref'"}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: route-post}
        spec:
          targetRef: {kind: HTTPRoute, name: models}
          phase: PostRouting
          processors:
          - name: stamp
            type: InProcess
            inProcess:
              request:
                setHeaders: [{name: x-route-post, value: "request.headers['x-ext-ref'] + '+post'"}]
              response:
                setHeaders: [{name: x-route-post-status, value: "string(response.status)"}]
        """);

    stream.send(chatHeaders(false));
    ProcessingResponse first = stream.next();
    assertThat(first.getModeOverride().getResponseHeaderMode()).as("the chains have response stages").isEqualTo(HeaderSendMode.SEND);
    stream.send(requestBody(CHAT, true));
    CommonResponse request = stream.next().getRequestBody().getResponse();

    // The route's PostRouting chain runs after the rule's ExtensionRef and sees its header.
    assertThat(setHeaders(request.getHeaderMutation())).containsOnly(
        Map.entry("x-gateway-model-name", "gpt-4o"), Map.entry("x-ext-ref", "ref"), Map.entry("x-route-post", "ref+post"));

    stream.send(responseHeaders(false, ":status", "200", "content-type", "application/json"));
    assertThat(setHeaders(stream.next().getResponseHeaders().getResponse().getHeaderMutation()))
        .containsOnly(Map.entry("x-ext-ref-response", "ref"), Map.entry("x-route-post-status", "200"));
  }

  // ---- (d) the response buffer limit ----

  private static final String MESSAGES = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":20,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"a question of some length, longer than the response limit\"}]}";

  /** Request limit 1024 bytes, response limit 100: a request body of 150 passes, a response of 120 does not. */
  private static final ExtProcServer.Limits LIMITS = new ExtProcServer.Limits(1024, 100, 1024);

  @Test
  void oversizeBufferedResponseIsRefusedWith502InTheAnthropicShapeAndTheRequestLimitIsSeparate() throws Exception {
    List<String> chunksSeen = Collections.synchronizedList(new ArrayList<>());
    var whole = new TestProcessor(new ProcessorNeeds(false, BodyMode.NONE, false, BodyMode.BUFFERED, 0));
    whole.chunks = chunk -> {
      chunksSeen.add(new String(chunk.bytes(), StandardCharsets.UTF_8));
      return TestProcessor.done(ChunkVerdict.pass(chunk));
    };
    var chain = new ProcessingChain("default/post", List.of(new ConfiguredProcessor("whole", FailureMode.FailClosed, null, whole)));
    var stream = open(ExtProcServer.builder(null, chain).limits(LIMITS));

    stream.send(requestHeaders(false, ":method", "POST", ":path", "/v1/messages", ":authority", "llm.example",
        "content-type", "application/json"));
    assertThat(stream.next().getModeOverride().getResponseBodyMode()).isEqualTo(BodySendMode.BUFFERED);
    assertThat(MESSAGES.length()).as("request body between the two limits").isBetween(101, 1023);
    stream.send(requestBody(MESSAGES, true));
    assertThat(stream.next().hasRequestBody()).as("the response limit does not apply to the request").isTrue();
    stream.send(responseHeaders(false, ":status", "200", "content-type", "application/json"));
    assertThat(stream.next().hasResponseHeaders()).isTrue();

    String half = "{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"" + "x".repeat(10);
    assertThat(half.length()).isBetween(51, 99);
    stream.send(responseBody(half, false)); // held: the processor needs the body whole
    stream.send(responseBody(half, false)); // now over 100 bytes
    ImmediateResponse reply = stream.next().getImmediateResponse();

    assertThat(reply.getStatus().getCodeValue()).isEqualTo(502);
    assertThat(setHeaders(reply.getHeaders())).containsExactly(Map.entry("content-type", "application/json"));
    assertThat(reply.getBody().toStringUtf8()).isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"api_error\","
        + "\"message\":\"Upstream upstream sent an invalid response: response body exceeds the 100 bytes response "
        + "processors can buffer\"}}");
    assertThat(reply.getDetails()).isEqualTo("aigis_upstream_invalid_response");
    assertThat(chunksSeen).as("the processor never sees a partial body").isEmpty();
  }

  @Test
  void requestOverTheRequestLimitIsRefusedWith413InTheAnthropicShape() throws Exception {
    var chain = new ProcessingChain("default/post", List.of(new ConfiguredProcessor("whole", FailureMode.FailClosed, null,
        new TestProcessor(new ProcessorNeeds(false, BodyMode.NONE, false, BodyMode.BUFFERED, 0)))));
    var stream = open(ExtProcServer.builder(null, chain).limits(LIMITS));

    stream.send(requestHeaders(false, ":method", "POST", ":path", "/v1/messages", ":authority", "llm.example",
        "content-type", "application/json"));
    stream.next();
    stream.send(requestBody(MESSAGES.replace("some length", "x".repeat(1024)), true));
    ImmediateResponse reply = stream.next().getImmediateResponse();

    assertThat(reply.getStatus().getCodeValue()).isEqualTo(413);
    assertThat(reply.getBody().toStringUtf8()).isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"request_too_large\","
        + "\"message\":\"Request body exceeds the limit of 1024 bytes\"}}");
  }

  // ---- (e) reload ----

  @Test
  void reloadAppliesToNewStreamsWhileAnOpenStreamKeepsItsConfiguration() throws Exception {
    var current = new AtomicReference<>(ExtProcServerTest.runtime(stamping("one")));
    server = ExtProcServer.builder(current::get, "default/aigis").shutdownGrace(Duration.ZERO).build().start();
    envoy = new FakeEnvoy(server.port());

    FakeEnvoy.Stream before = envoy.open();
    before.send(modelsRequest());
    assertThat(setHeaders(before.next().getRequestHeaders().getResponse().getHeaderMutation()))
        .containsExactly(Map.entry("x-config", "one"));

    current.set(ExtProcServerTest.runtime(stamping("two")));
    FakeEnvoy.Stream after = envoy.open();
    after.send(modelsRequest());
    assertThat(setHeaders(after.next().getRequestHeaders().getResponse().getHeaderMutation()))
        .as("a stream opened after the reload").containsExactly(Map.entry("x-config", "two"));

    before.send(responseHeaders(true, ":status", "200"));
    assertThat(setHeaders(before.next().getResponseHeaders().getResponse().getHeaderMutation()))
        .as("the stream opened before the reload answers its response on its own configuration")
        .containsExactly(Map.entry("x-config-response", "one"));
    after.send(responseHeaders(true, ":status", "200"));
    assertThat(setHeaders(after.next().getResponseHeaders().getResponse().getHeaderMutation()))
        .containsExactly(Map.entry("x-config-response", "two"));
  }

  private static io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest modelsRequest() {
    return requestHeaders(true, ":method", "GET", ":path", "/v1/models", ":authority", "llm.example");
  }

  /** A PreRouting chain that stamps {@code x-config} on the request and {@code x-config-response} on the response. */
  private static String stamping(String value) {
    return """
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: stamp}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: aigis}
          phase: PreRouting
          processors:
          - name: stamp
            type: InProcess
            inProcess:
              request:
                setHeaders: [{name: x-config, value: "'%1$s'"}]
              response:
                setHeaders: [{name: x-config-response, value: "'%1$s'"}]
        """.formatted(value);
  }
}
