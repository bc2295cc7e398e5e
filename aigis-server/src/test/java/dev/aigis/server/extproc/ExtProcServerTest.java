package dev.aigis.server.extproc;

import static dev.aigis.server.extproc.FakeEnvoy.chatHeaders;
import static dev.aigis.server.extproc.FakeEnvoy.requestBody;
import static dev.aigis.server.extproc.FakeEnvoy.requestHeaders;
import static dev.aigis.server.extproc.FakeEnvoy.responseBody;
import static dev.aigis.server.extproc.FakeEnvoy.responseHeaders;
import static dev.aigis.server.extproc.FakeEnvoy.setHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ChunkVerdict;
import dev.aigis.core.processing.ConfiguredProcessor;
import dev.aigis.core.processing.FailureMode;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.ProcessingObserver;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.Verdict;
import dev.aigis.extproc.ExtProcChannels;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.server.processing.CompiledProcessing;
import dev.aigis.server.processing.ProcessingCompiler;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import dev.aigis.server.proxy.RuntimeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ext_proc server against a real grpc-java client replaying the message sequences Envoy sends. */
class ExtProcServerTest {

  static final String GATEWAY = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: aigis}
      spec:
        gatewayClassName: aigis
        listeners:
        - {name: http, port: 8080, protocol: HTTP}
      ---
      """;

  private final ExtProcChannels channels = new ExtProcChannels(Duration.ZERO);
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
    channels.close();
  }

  static CompiledProcessing compile(String processorsYaml) throws Exception {
    return new ProcessingCompiler(new ExtProcChannels()).compile(snapshot(processorsYaml));
  }

  static ConfigSnapshot snapshot(String processorsYaml) throws Exception {
    return ConfigPipeline.compileText("test.yaml", GATEWAY + processorsYaml, name -> null);
  }

  static RuntimeConfig runtime(String processorsYaml) throws Exception {
    ConfigSnapshot snapshot = snapshot(processorsYaml);
    return RuntimeConfig.compile(snapshot, new ProcessingCompiler(new ExtProcChannels()).compile(snapshot));
  }

  private FakeEnvoy.Stream open(ExtProcServer.Builder builder) throws Exception {
    server = builder.shutdownGrace(Duration.ZERO).build().start();
    envoy = new FakeEnvoy(server.port());
    return envoy.open();
  }

  private FakeEnvoy.Stream open(String processorsYaml) throws Exception {
    RuntimeConfig runtime = runtime(processorsYaml);
    return open(ExtProcServer.builder(() -> runtime, "default/aigis"));
  }

  private static String preRouting(String processors) {
    return """
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: pre}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: aigis}
          phase: PreRouting
          processors:
        """ + processors.indent(2);
  }

  private static final String MODEL_FROM_BODY = preRouting("""
      - name: model-from-body
        type: InProcess
        inProcess:
          request:
            setHeaders: [{name: X-Gateway-Model-Name, value: "json(request.body).model"}]
            setBodyFields: [{path: "$.metadata.team", value: "request.headers['x-team']"}]
      """);

  private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void headersOnlyRequestGetsTheHeaderMutationAndClearsTheRouteCache() throws Exception {
    var stream = open(preRouting("""
        - name: model-from-header
          type: InProcess
          inProcess:
            request:
              setHeaders: [{name: X-Gateway-Model-Name, value: "request.headers['x-model']"}]
              removeHeaders: [x-debug]
        """));

    stream.send(requestHeaders(true, ":method", "GET", ":path", "/v1/models", ":authority", "llm.example",
        "x-model", "gpt-4o-mini", "x-debug", "1"));
    ProcessingResponse answer = stream.next();

    assertThat(answer.hasRequestHeaders()).isTrue();
    assertThat(answer.hasModeOverride()).isFalse();
    CommonResponse common = answer.getRequestHeaders().getResponse();
    assertThat(common.getStatus()).isEqualTo(CommonResponse.ResponseStatus.CONTINUE);
    assertThat(setHeaders(common.getHeaderMutation())).containsExactly(Map.entry("x-gateway-model-name", "gpt-4o-mini"));
    assertThat(common.getHeaderMutation().getRemoveHeadersList()).containsExactly("x-debug");
    assertThat(common.getClearRouteCache()).isTrue();
    assertThat(common.hasBodyMutation()).isFalse();

    stream.halfClose();
    assertThat(stream.awaitEnd().isOk()).isTrue();
  }

  @Test
  void unchangedRequestIsAPlainContinueWithoutClearingTheRouteCache() throws Exception {
    var stream = open(preRouting("""
        - name: only-response
          type: InProcess
          inProcess:
            response:
              setHeaders: [{name: x-status, value: "string(response.status)"}]
        """));

    stream.send(requestHeaders(true, ":method", "GET", ":path", "/v1/models", ":authority", "llm.example"));
    CommonResponse common = stream.next().getRequestHeaders().getResponse();

    assertThat(common).isEqualTo(CommonResponse.getDefaultInstance());
  }

  @Test
  void aPathWithDotSegmentsIsSentOnNormalisedAsTheDataPlaneSendsIt() throws Exception {
    var stream = open(ExtProcServer.builder((ProcessingChain) null, null));

    stream.send(requestHeaders(true, ":method", "GET", ":path", "/v1/./models/%67pt-4o?x=1", ":authority", "llm.example"));
    CommonResponse common = stream.next().getRequestHeaders().getResponse();

    assertThat(setHeaders(common.getHeaderMutation())).containsEntry(":path", "/v1/models/gpt-4o?x=1");
  }

  @Test
  void aPathWithAnEncodedSlashIsRefusedWithA400() throws Exception {
    var stream = open(ExtProcServer.builder((ProcessingChain) null, null));

    stream.send(requestHeaders(true, ":method", "GET", ":path", "/v1/%2E%2E%2Finternal", ":authority", "llm.example"));
    ImmediateResponse reply = stream.next().getImmediateResponse();

    assertThat(reply.getStatus().getCodeValue()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(reply.getBody().toByteArray()).at("/error/message").asText())
        .contains("encoded slash");
  }

  @Test
  void bufferedBodyIsAskedForThenAnsweredWithHeaderAndBodyMutations() throws Exception {
    var stream = open(MODEL_FROM_BODY);

    stream.send(chatHeaders(false, "content-length", Integer.toString(CHAT.length()), "x-team", "blue"));
    ProcessingResponse first = stream.next();
    assertThat(first.getRequestHeaders().getResponse()).isEqualTo(CommonResponse.getDefaultInstance());
    assertThat(first.getModeOverride().getRequestBodyMode()).isEqualTo(BodySendMode.BUFFERED);
    assertThat(first.getModeOverride().getResponseBodyMode()).isEqualTo(BodySendMode.NONE);

    stream.send(requestBody(CHAT, true));
    CommonResponse common = stream.next().getRequestBody().getResponse();

    byte[] newBody = common.getBodyMutation().getBody().toByteArray();
    JsonNode json = Json.MAPPER.readTree(newBody);
    assertThat(json.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(json.at("/metadata/team").asText()).isEqualTo("blue");
    assertThat(json.at("/messages/0/content").asText()).isEqualTo("hi");
    assertThat(setHeaders(common.getHeaderMutation())).containsExactly(
        Map.entry("x-gateway-model-name", "gpt-4o"), Map.entry("content-length", Integer.toString(newBody.length)));
    assertThat(common.getClearRouteCache()).isTrue();
  }

  @Test
  void streamedBodyChunksAreCollectedAndAnsweredInOrderOnceComplete() throws Exception {
    var stream = open(MODEL_FROM_BODY);
    stream.send(chatHeaders(false, "x-team", "red"));
    assertThat(stream.next().hasModeOverride()).isTrue();

    // Envoy did not take the override: the body streams in three chunks, sent without waiting.
    stream.send(requestBody(CHAT.substring(0, 10), false));
    stream.send(requestBody(CHAT.substring(10, 30), false));
    stream.send(requestBody(CHAT.substring(30), true));

    // Held, not passed on: the early chunks' answers clear them (a chunk answered on arrival would
    // go upstream as it was), and the last carries the whole processed body.

    ProcessingResponse one = stream.next();
    ProcessingResponse two = stream.next();
    ProcessingResponse last = stream.next();
    assertThat(one.getRequestBody().getResponse().getBodyMutation().getClearBody()).isTrue();
    assertThat(two.getRequestBody().getResponse().getBodyMutation().getClearBody()).isTrue();
    CommonResponse common = last.getRequestBody().getResponse();
    JsonNode json = Json.MAPPER.readTree(common.getBodyMutation().getBody().toByteArray());
    assertThat(json.at("/metadata/team").asText()).isEqualTo("red");
    assertThat(setHeaders(common.getHeaderMutation())).containsEntry("x-gateway-model-name", "gpt-4o");
    assertThat(common.getHeaderMutation().getRemoveHeadersList()).containsExactly("content-length");
  }

  @Test
  void streamedBodyThatStaysTheSameIsContinuedWithTheHeadersOnTheLastChunk() throws Exception {
    var stream = open(preRouting("""
        - name: model-from-body
          type: InProcess
          inProcess:
            request:
              setHeaders: [{name: X-Gateway-Model-Name, value: "json(request.body).model"}]
        """));
    stream.send(chatHeaders(false));
    stream.next();
    stream.send(requestBody(CHAT.substring(0, 20), false));
    stream.send(requestBody(CHAT.substring(20), true));

    assertThat(stream.next().getRequestBody()).isEqualTo(
        io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse.getDefaultInstance());
    CommonResponse common = stream.next().getRequestBody().getResponse();
    assertThat(common.hasBodyMutation()).isFalse();
    assertThat(setHeaders(common.getHeaderMutation())).containsExactly(Map.entry("x-gateway-model-name", "gpt-4o"));
  }

  @Test
  void sseResponseIsCutIntoWholeEventsInOrderAndResponseHeadersRunInReverse() throws Exception {
    CompiledProcessing processing = compile(preRouting("""
        - name: status-header
          type: InProcess
          inProcess:
            response:
              setHeaders: [{name: x-upstream-status, value: "string(response.status)"}]
        """));
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    var rewrite = new TestProcessor(new ProcessorNeeds(false, BodyMode.NONE, true, BodyMode.STREAMED, 0));
    rewrite.responseHeaders = response -> {
      seen.add("headers, x-upstream-status=" + response.headers().get("x-upstream-status"));
      response.headers().set("x-post", "1");
      return TestProcessor.done(Verdict.CONTINUE);
    };
    rewrite.chunks = chunk -> {
      String event = new String(chunk.bytes(), StandardCharsets.UTF_8);
      seen.add(event + (chunk.endOfStream() ? "<eos>" : ""));
      return TestProcessor.done(new ChunkVerdict.Emit(List.of(event.replace("\"n\"", "\"N\"").getBytes(StandardCharsets.UTF_8))));
    };
    var post = new ProcessingChain("default/post", List.of(new ConfiguredProcessor("rewrite", FailureMode.FailClosed, null, rewrite)));
    var stream = open(ExtProcServer.builder(processing.gatewayPreRouting().get("default/aigis"), post));

    stream.send(requestHeaders(false, ":method", "POST", ":path", "/v1/chat/completions", ":authority", "llm.example"));
    assertThat(stream.next().hasRequestHeaders()).isTrue();
    stream.send(responseHeaders(false, ":status", "201", "content-type", "text/event-stream", "content-length", "99"));
    CommonResponse head = stream.next().getResponseHeaders().getResponse();
    assertThat(setHeaders(head.getHeaderMutation()))
        .containsEntry("x-upstream-status", "201").containsEntry("x-post", "1");
    assertThat(head.getHeaderMutation().getRemoveHeadersList()).containsExactly("content-length");

    String events = "data: {\"n\":1}\n\ndata: {\"n\":2}\n\ndata: [DONE]\n\n";
    stream.send(responseBody(events.substring(0, 20), false)); // first event and half of the second
    stream.send(responseBody(events.substring(20, 33), false)); // the rest of the second, and "data: [D"
    stream.send(responseBody(events.substring(33), true));
    String out = body(stream.next(), events.substring(0, 20)) + body(stream.next(), events.substring(20, 33))
        + body(stream.next(), events.substring(33));

    assertThat(out).isEqualTo(events.replace("\"n\"", "\"N\""));
    // Post (the later chain) saw the head before pre set its header: response stages run in reverse.
    assertThat(seen).containsExactly("headers, x-upstream-status=null",
        "data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n", "data: [DONE]\n\n<eos>");
  }

  @Test
  void eventsOfAnOpenAiStreamReachProcessorsWithTheirPivotAsInTheDataPlane() throws Exception {
    String events = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
        + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n"
        + "data: [DONE]\n\n";
    assertThat(pivotTexts("/v1/chat/completions", events)).containsExactly("Hel", "lo", null);
  }

  @Test
  void eventsOfAnAnthropicStreamReachProcessorsWithTheOpenAiChunkTheyTranslateTo() throws Exception {
    String events = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"usage":{"input_tokens":5,"output_tokens":0}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Salut"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}

        event: message_stop
        data: {"type":"message_stop"}

        """;
    List<String> texts = pivotTexts("/v1/messages", events);
    assertThat(texts).hasSize(6);
    assertThat(texts.get(2)).isEqualTo("Salut");
    assertThat(texts.get(3)).as("a block boundary has no chunk").isNull();
  }

  /**
   * Sends a 200 event stream for a model call through a STREAMED response processor and returns,
   * per event, its pivot's {@code choices[0].delta.content} ("" for a pivot without one, null for none).
   */
  private List<String> pivotTexts(String path, String events) throws Exception {
    List<String> texts = Collections.synchronizedList(new ArrayList<>());
    var watcher = new TestProcessor(new ProcessorNeeds(false, BodyMode.NONE, false, BodyMode.STREAMED, 0));
    watcher.chunks = chunk -> {
      if (chunk.bytes().length > 0) {
        texts.add(chunk.pivot() == null ? null : chunk.pivot().at("/choices/0/delta/content").asText(""));
      }
      return TestProcessor.done(ChunkVerdict.pass(chunk));
    };
    var chain = new ProcessingChain("default/post", List.of(new ConfiguredProcessor("watcher", null, null, watcher)));
    var stream = open(ExtProcServer.builder(null, chain));
    stream.send(requestHeaders(false, ":method", "POST", ":path", path, ":authority", "llm.example"));
    stream.next();
    stream.send(responseHeaders(false, ":status", "200", "content-type", "text/event-stream"));
    stream.next();
    stream.send(responseBody(events, true));
    assertThat(body(stream.next(), events)).isEqualTo(events);
    return texts;
  }

  /** The bytes Envoy forwards for one body message given its answer. */
  private static String body(ProcessingResponse answer, String sent) {
    assertThat(answer.hasResponseBody()).isTrue();
    BodyMutation mutation = answer.getResponseBody().getResponse().getBodyMutation();
    return switch (mutation.getMutationCase()) {
      case BODY -> mutation.getBody().toStringUtf8();
      case CLEAR_BODY -> "";
      default -> sent;
    };
  }

  @Test
  void runtimeFailureOfAFailClosedProcessorIsAnImmediateOpenAiError() throws Exception {
    var stream = open(preRouting("""
        - name: broken
          type: InProcess
          failureMode: FailClosed
          inProcess:
            request:
              setHeaders: [{name: x-field, value: "json(request.body).missing.field"}]
        """));
    stream.send(chatHeaders(false));
    assertThat(stream.next().getModeOverride().getRequestBodyMode()).isEqualTo(BodySendMode.BUFFERED);
    stream.send(requestBody(CHAT, true));

    ImmediateResponse reply = stream.next().getImmediateResponse();
    assertThat(reply.getStatus().getCodeValue()).isEqualTo(500);
    assertThat(setHeaders(reply.getHeaders())).containsExactly(Map.entry("content-type", "application/json"));
    JsonNode error = Json.MAPPER.readTree(reply.getBody().toByteArray()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("processor_failed");
    assertThat(error.path("type").asText()).isEqualTo("server_error");
    assertThat(error.path("message").asText()).startsWith("Processor broken failed");
    assertThat(reply.getDetails()).isEqualTo("aigis_processor_failed");
  }

  @Test
  void immediateResponseVerdictIsSentWithItsStatusHeadersAndBody() throws Exception {
    var deny = new TestProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    deny.requestHeaders = request -> TestProcessor.done(new Verdict.ImmediateResponse(403,
        Map.of("X-Reason", List.of("policy")), "denied".getBytes(StandardCharsets.UTF_8), "denied by policy"));
    var chain = new ProcessingChain("default/pre", List.of(new ConfiguredProcessor("deny", null, null, deny)));
    var stream = open(ExtProcServer.builder(chain, null));

    stream.send(requestHeaders(true, ":method", "GET", ":path", "/", ":authority", "x"));
    ImmediateResponse reply = stream.next().getImmediateResponse();

    assertThat(reply.getStatus().getCodeValue()).isEqualTo(403);
    assertThat(setHeaders(reply.getHeaders())).containsExactly(Map.entry("x-reason", "policy"));
    assertThat(reply.getBody().toStringUtf8()).isEqualTo("denied");
    assertThat(reply.getDetails()).isEqualTo("denied_by_policy");
  }

  @Test
  void processorTimeoutUsesTheSharedSchedulerAndAnswers504() throws Exception {
    var slow = new TestProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    slow.requestHeaders = request -> new CompletableFuture<>();
    List<ProcessingObserver.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    var chain = new ProcessingChain("default/pre",
        List.of(new ConfiguredProcessor("slow", FailureMode.FailClosed, Duration.ofMillis(50), slow)));
    var timers = new QueuedScheduler();
    var stream = open(ExtProcServer.builder(chain, null).scheduler(timers)
        .observer((c, p, stage, outcome, nanos) -> outcomes.add(outcome)));

    stream.send(requestHeaders(true, ":method", "GET", ":path", "/", ":authority", "x"));
    QueuedScheduler.Timer timeout = timers.next();
    assertThat(timeout.delay()).isEqualTo(Duration.ofMillis(50));
    timeout.fire(); // the processor's timeout, without waiting for it

    assertThat(stream.next().getImmediateResponse().getStatus().getCodeValue()).isEqualTo(504);
    assertThat(outcomes).containsExactly(ProcessingObserver.Outcome.TIMED_OUT_CLOSED);
  }

  @Test
  void pathChangeIsSentAsPseudoHeaderWithTheQueryKept() throws Exception {
    var rewrite = new TestProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    rewrite.requestHeaders = request -> {
      assertThat(request.path()).isEqualTo("/v1/chat/completions");
      assertThat(request.headers().get("host")).isEqualTo("llm.example");
      request.setPath("/openai/v1/chat/completions");
      return TestProcessor.done(Verdict.CONTINUE);
    };
    var chain = new ProcessingChain("default/pre", List.of(new ConfiguredProcessor("rewrite", null, null, rewrite)));
    var stream = open(ExtProcServer.builder(chain, null));

    stream.send(chatHeaders(true));
    CommonResponse common = stream.next().getRequestHeaders().getResponse();

    assertThat(setHeaders(common.getHeaderMutation())).containsExactly(Map.entry(":path", "/openai/v1/chat/completions?trace=1"));
    assertThat(common.getClearRouteCache()).isTrue();
  }

  @Test
  void aGeminiRequestRoutesByThePathModelAndItsQueryKeyMovesToTheHeader() throws Exception {
    var stream = open(preRouting("""
        - name: tag
          type: InProcess
          inProcess:
            request:
              setHeaders: [{name: x-tagged, value: "'yes'"}]
        """));
    String body = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}";

    stream.send(requestHeaders(false, ":method", "POST", ":path",
        "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=AIza-client", ":authority", "llm.example",
        "content-type", "application/json"));
    assertThat(stream.next().getModeOverride().getRequestBodyMode()).isEqualTo(BodySendMode.BUFFERED);
    stream.send(requestBody(body, true));
    CommonResponse common = stream.next().getRequestBody().getResponse();

    assertThat(setHeaders(common.getHeaderMutation())).containsOnly(
        Map.entry("x-gateway-model-name", "gemini-2.5-flash"), Map.entry("x-tagged", "yes"),
        Map.entry("x-goog-api-key", "AIza-client"),
        Map.entry(":path", "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"));
    assertThat(common.hasBodyMutation()).isFalse();
  }

  @Test
  void aResponsesRequestRoutesByItsBodyModelAsInTheDataPlane() throws Exception {
    var stream = open(preRouting("""
        - name: tag
          type: InProcess
          inProcess:
            request:
              setHeaders: [{name: x-tagged, value: "'yes'"}]
        """));
    String body = "{\"model\":\"gpt-4.1\",\"input\":\"hi\",\"stream\":true}";

    stream.send(requestHeaders(false, ":method", "POST", ":path", "/v1/responses", ":authority", "llm.example",
        "content-type", "application/json"));
    assertThat(stream.next().getModeOverride().getRequestBodyMode()).isEqualTo(BodySendMode.BUFFERED);
    stream.send(requestBody(body, true));
    CommonResponse common = stream.next().getRequestBody().getResponse();

    assertThat(setHeaders(common.getHeaderMutation())).containsOnly(
        Map.entry("x-gateway-model-name", "gpt-4.1"), Map.entry("x-tagged", "yes"));
    assertThat(common.hasBodyMutation()).isFalse();
  }

  @Test
  void aMalformedResponsesBodyIsAnImmediateErrorInOpenAisFormat() throws Exception {
    var stream = open(MODEL_FROM_BODY);

    stream.send(requestHeaders(false, ":method", "POST", ":path", "/v1/responses", ":authority", "llm.example",
        "content-type", "application/json"));
    assertThat(stream.next().hasModeOverride()).isTrue();
    stream.send(requestBody("{\"model\": ", true));

    ImmediateResponse reply = stream.next().getImmediateResponse();
    assertThat(reply.getStatus().getCodeValue()).isEqualTo(400);
    JsonNode error = Json.MAPPER.readTree(reply.getBody().toByteArray()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("code").asText()).isEqualTo("invalid_json");
  }

  /** Native Responses events pass as received; they carry no pivot (documented in providers.md). */
  @Test
  void eventsOfANativeResponsesStreamPassUnchangedThroughStreamedProcessors() throws Exception {
    String events = """
        event: response.output_text.delta
        data: {"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi"}

        event: response.completed
        data: {"type":"response.completed","sequence_number":4,"response":{"id":"resp_1","status":"completed","usage":{"input_tokens":3,"output_tokens":1,"total_tokens":4}}}

        """;
    assertThat(pivotTexts("/v1/responses", events)).containsExactly(null, null);
  }

  @Test
  void aMalformedGeminiBodyIsAnImmediateErrorInGooglesFormat() throws Exception {
    var stream = open(MODEL_FROM_BODY);

    stream.send(requestHeaders(false, ":method", "POST", ":path", "/v1beta/models/gemini-2.5-flash:generateContent",
        ":authority", "llm.example", "content-type", "application/json"));
    assertThat(stream.next().hasModeOverride()).isTrue();
    stream.send(requestBody("{\"contents\": [", true));

    ImmediateResponse reply = stream.next().getImmediateResponse();
    assertThat(reply.getStatus().getCodeValue()).isEqualTo(400);
    JsonNode error = Json.MAPPER.readTree(reply.getBody().toByteArray()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(400);
    assertThat(error.path("status").asText()).isEqualTo("INVALID_ARGUMENT");
  }

  @Test
  void clientCancelMidExchangeClosesTheChainExchange() throws Exception {
    var watcher = new TestProcessor(new ProcessorNeeds(true, BodyMode.NONE, true, BodyMode.NONE, 0));
    var chain = new ProcessingChain("default/pre", List.of(new ConfiguredProcessor("watcher", null, null, watcher)));
    var stream = open(ExtProcServer.builder(chain, null));

    stream.send(requestHeaders(false, ":method", "POST", ":path", "/", ":authority", "x"));
    assertThat(stream.next().hasRequestHeaders()).isTrue();
    assertThat(watcher.stateClosed.getCount()).isEqualTo(1);
    stream.cancel();

    assertThat(watcher.stateClosed.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(watcher.statesOpened).hasValue(1);
  }

  @Test
  void clientCancelWhileAStageIsPendingClosesTheChainExchange() throws Exception {
    var hanging = new TestProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    var pending = new CompletableFuture<Verdict>();
    var started = new CountDownLatch(1);
    hanging.requestHeaders = request -> {
      started.countDown();
      return pending;
    };
    var chain = new ProcessingChain("default/pre", List.of(new ConfiguredProcessor("hanging", null, null, hanging)));
    var stream = open(ExtProcServer.builder(chain, null));

    stream.send(requestHeaders(true, ":method", "GET", ":path", "/", ":authority", "x"));
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    stream.cancel();

    assertThat(hanging.stateClosed.await(5, TimeUnit.SECONDS)).isTrue();
    pending.complete(Verdict.CONTINUE); // a late completion is ignored
  }

  @Test
  void halfCloseAfterTheExchangeEndsTheStreamAndClosesTheExchange() throws Exception {
    var watcher = new TestProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    var chain = new ProcessingChain("default/pre", List.of(new ConfiguredProcessor("watcher", null, null, watcher)));
    var stream = open(ExtProcServer.builder(chain, null));

    stream.send(requestHeaders(true, ":method", "GET", ":path", "/", ":authority", "x"));
    stream.next();
    stream.send(responseHeaders(true, ":status", "200"));
    assertThat(stream.next().hasResponseHeaders()).isTrue();
    stream.halfClose();

    assertThat(stream.awaitEnd()).isEqualTo(Status.OK);
    assertThat(watcher.stateClosed.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void observabilityModeRunsProcessorsButSendsNoAnswers() throws Exception {
    var watcher = new TestProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    var ran = new CompletableFuture<String>();
    watcher.requestHeaders = request -> {
      ran.complete(request.path());
      return TestProcessor.done(Verdict.CONTINUE);
    };
    var chain = new ProcessingChain("default/pre", List.of(new ConfiguredProcessor("watcher", null, null, watcher)));
    var stream = open(ExtProcServer.builder(chain, null));

    stream.send(ProcessingRequest.newBuilder(requestHeaders(true, ":method", "GET", ":path", "/seen", ":authority", "x"))
        .setObservabilityMode(true).build());

    assertThat(ran.get(5, TimeUnit.SECONDS)).isEqualTo("/seen");
    stream.halfClose();
    assertThat(stream.awaitEnd().isOk()).isTrue();
    // The stream has ended, so every answer the server sent has arrived: there must be none.
    assertThat(stream.received()).isNull();
  }

  @Test
  void endOfStreamFromAProcessorSendsTheFinalBytesThenDropsTheRest() throws Exception {
    var guard = new TestProcessor(new ProcessorNeeds(false, BodyMode.NONE, false, BodyMode.STREAMED, 0));
    guard.chunks = chunk -> new String(chunk.bytes(), StandardCharsets.UTF_8).contains("secret")
        ? TestProcessor.done(new ChunkVerdict.End("data: {\"error\":{}}\n\n".getBytes(StandardCharsets.UTF_8), "blocked"))
        : TestProcessor.done(ChunkVerdict.pass(chunk));
    var chain = new ProcessingChain("default/post", List.of(new ConfiguredProcessor("guard", null, null, guard)));
    var stream = open(ExtProcServer.builder(null, chain));
    stream.send(requestHeaders(true, ":method", "GET", ":path", "/", ":authority", "x"));
    stream.next();
    stream.send(responseHeaders(false, ":status", "200", "content-type", "text/event-stream; charset=utf-8"));
    stream.next();

    String sent = "data: ok\n\ndata: secret\n\ndata: more\n\n";
    stream.send(responseBody(sent, false));
    stream.send(responseBody("data: after\n\n", true));

    assertThat(body(stream.next(), sent)).isEqualTo("data: ok\n\ndata: {\"error\":{}}\n\n");
    assertThat(body(stream.next(), "data: after\n\n")).isEmpty();
  }

  @Test
  void bufferedJsonResponseIsOneChunkAndGetsItsContentLengthBack() throws Exception {
    var shrink = new TestProcessor(new ProcessorNeeds(false, BodyMode.NONE, false, BodyMode.BUFFERED, 0));
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    shrink.chunks = chunk -> {
      seen.add(new String(chunk.bytes(), StandardCharsets.UTF_8) + (chunk.endOfStream() ? "<eos>" : ""));
      return TestProcessor.done(new ChunkVerdict.Emit(List.of("{}".getBytes(StandardCharsets.UTF_8))));
    };
    var chain = new ProcessingChain("default/post", List.of(new ConfiguredProcessor("shrink", null, null, shrink)));
    var stream = open(ExtProcServer.builder(null, chain));
    stream.send(requestHeaders(true, ":method", "GET", ":path", "/", ":authority", "x"));
    stream.next();
    stream.send(responseHeaders(false, ":status", "200", "content-type", "application/json", "content-length", "11"));
    assertThat(stream.next().getResponseHeaders().getResponse().getHeaderMutation().getRemoveHeadersList())
        .containsExactly("content-length");

    stream.send(responseBody("{\"a\":12345}", true));
    CommonResponse common = stream.next().getResponseBody().getResponse();

    assertThat(seen).containsExactly("{\"a\":12345}<eos>");
    assertThat(common.getBodyMutation().getBody().toStringUtf8()).isEqualTo("{}");
    assertThat(setHeaders(common.getHeaderMutation())).containsExactly(Map.entry("content-length", "2"));
  }
}
