package dev.aigis.extproc;

import static dev.aigis.extproc.FakeExtProcServer.common;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ChunkVerdict;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.Processor.ExchangeState;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.ResponseChunk;
import dev.aigis.core.processing.Verdict;
import dev.aigis.model.processing.ExtProcessSpec;
import dev.aigis.model.processing.ExtProcessSpec.BodySendMode;
import dev.aigis.model.processing.ExtProcessSpec.HeaderSendMode;
import dev.aigis.model.processing.ExtProcessSpec.ProcessingModeSpec;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest.RequestCase;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExtProcProcessorTest {

  private static final ProcessingModeSpec HEADERS_ONLY = ProcessingModeSpec.DEFAULT;
  private static final ProcessingModeSpec BUFFERED_BOTH =
      new ProcessingModeSpec(HeaderSendMode.SEND, BodySendMode.BUFFERED, HeaderSendMode.SEND, BodySendMode.BUFFERED);
  private static final ProcessingModeSpec STREAMED_RESPONSE =
      new ProcessingModeSpec(HeaderSendMode.SKIP, BodySendMode.NONE, HeaderSendMode.SKIP, BodySendMode.STREAMED);
  private static final ProcessingModeSpec STREAMED_REQUEST =
      new ProcessingModeSpec(HeaderSendMode.SKIP, BodySendMode.STREAMED, HeaderSendMode.SKIP, BodySendMode.NONE);

  private static ExtProcChannels channels;
  private static FakeExtProcServer continuing;
  private static FakeExtProcServer mutating;
  private static FakeExtProcServer immediate;
  private static FakeExtProcServer hanging;

  /** Per-test servers, closed after each test. */
  private FakeExtProcServer scripted;
  private ExchangeState state;

  @BeforeAll
  static void startServers() {
    channels = new ExtProcChannels();
    continuing = FakeExtProcServer.continuing();
    mutating = FakeExtProcServer.mutating();
    immediate = FakeExtProcServer.immediate(403, "application/json", "{\"error\":\"blocked\"}", "blocked by policy");
    hanging = FakeExtProcServer.hanging();
  }

  @AfterAll
  static void stopServers() throws Exception {
    channels.close();
    for (var server : List.of(continuing, mutating, immediate, hanging)) {
      server.close();
    }
  }

  @AfterEach
  void closeExchange() throws Exception {
    if (state != null) {
      state.close();
    }
    if (scripted != null) {
      scripted.close();
    }
  }

  private ExtProcProcessor processor(FakeExtProcServer server, ProcessingModeSpec mode) {
    var processor = channels.processor("guard", server.spec(mode));
    state = processor.newState();
    return processor;
  }

  private static ProcessedRequest chatRequest(String... extraHeaders) {
    var headers = TestHeaders.of("host", "gw.example", "content-type", "application/json", "content-length", "15");
    for (int i = 0; i < extraHeaders.length; i += 2) {
      headers.add(extraHeaders[i], extraHeaders[i + 1]);
    }
    return new ProcessedRequest("POST", "/v1/chat/completions", headers, null, "gpt-4o");
  }

  private static ProcessedResponse sseResponse() {
    return new ProcessedResponse(200, TestHeaders.of("content-type", "text/event-stream"));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static Map<String, String> headerMap(HeaderMap map) {
    var out = new LinkedHashMap<String, String>();
    for (HeaderValue header : map.getHeadersList()) {
      assertThat(header.getValue()).as("value left empty; %s travels in raw_value", header.getKey()).isEmpty();
      out.put(header.getKey(), header.getRawValue().toStringUtf8());
    }
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void needsFollowTheProcessingMode() {
    var channel = channels.channel(continuing.spec(HEADERS_ONLY));
    assertThat(new ExtProcProcessor("p", new ExtProcessSpec("h", 1, false, null), channel).needs())
        .isEqualTo(new ProcessorNeeds(true, BodyMode.NONE, true, BodyMode.NONE, 0));
    assertThat(new ExtProcProcessor("p", new ExtProcessSpec("h", 1, false, STREAMED_RESPONSE), channel).needs())
        .isEqualTo(new ProcessorNeeds(false, BodyMode.NONE, false, BodyMode.STREAMED, 0));
    assertThat(new ExtProcProcessor("p", new ExtProcessSpec("h", 1, false, BUFFERED_BOTH), channel).needs())
        .isEqualTo(new ProcessorNeeds(true, BodyMode.BUFFERED, true, BodyMode.BUFFERED, 0));
  }

  @Test
  void headersOnlyModeSendsOneMessagePerStageWithPseudoHeaders() throws Exception {
    var processor = processor(continuing, HEADERS_ONLY);
    var request = chatRequest();
    int before = continuing.streamCount();

    assertThat(await(processor.onRequestHeaders(request, state))).isEqualTo(Verdict.CONTINUE);
    var stream = continuing.stream(before);
    ProcessingRequest first = stream.next();
    assertThat(first.getRequestCase()).isEqualTo(RequestCase.REQUEST_HEADERS);
    assertThat(first.getObservabilityMode()).isFalse();
    assertThat(first.getProtocolConfig().getRequestBodyMode()).isEqualTo(ProcessingMode.BodySendMode.NONE);
    assertThat(first.getRequestHeaders().getEndOfStream()).as("a POST with Content-Length 15 has a body").isFalse();
    assertThat(headerMap(first.getRequestHeaders().getHeaders())).containsExactly(
        Map.entry(":method", "POST"), Map.entry(":path", "/v1/chat/completions"), Map.entry(":authority", "gw.example"),
        Map.entry(":scheme", "http"), Map.entry("content-type", "application/json"), Map.entry("content-length", "15"));
    assertThat(stream.received).isEmpty();

    assertThat(await(processor.onResponseHeaders(request, sseResponse(), state))).isEqualTo(Verdict.CONTINUE);
    ProcessingRequest second = stream.next();
    assertThat(second.getRequestCase()).isEqualTo(RequestCase.RESPONSE_HEADERS);
    assertThat(second.hasProtocolConfig()).as("only on the first message").isFalse();
    assertThat(headerMap(second.getResponseHeaders().getHeaders()))
        .containsExactly(Map.entry(":status", "200"), Map.entry("content-type", "text/event-stream"));
    assertThat(second.getResponseHeaders().getEndOfStream()).isFalse();

    assertThat(stream.awaitEnd()).as("nothing more to send, so the client half-closes").isEqualTo("half-closed");
    assertThat(stream.received).isEmpty();
  }

  @Test
  void requestHeadersCarryEndOfStreamWhenTheRequestHasNoBody() throws Exception {
    var processor = processor(continuing, HEADERS_ONLY);
    var request = new ProcessedRequest("GET", "/v1/models", TestHeaders.of("host", "gw.example"), null, null);
    int before = continuing.streamCount();
    await(processor.onRequestHeaders(request, state));
    assertThat(continuing.stream(before).next().getRequestHeaders().getEndOfStream()).isTrue();
  }

  @Test
  void mutationsAreAppliedToHeadersAndBufferedBody() throws Exception {
    var processor = processor(mutating, new ProcessingModeSpec(HeaderSendMode.SEND, BodySendMode.BUFFERED,
        HeaderSendMode.SEND, BodySendMode.NONE));
    var request = chatRequest("x-secret", "s3cr3t");
    int before = mutating.streamCount();

    assertThat(await(processor.onRequestHeaders(request, state))).isEqualTo(Verdict.CONTINUE);
    assertThat(request.headers().get("x-checked")).isEqualTo("yes");
    assertThat(request.headers().get("x-secret")).isNull();

    request.setBody(utf8("{\"model\":\"gpt\"}"));
    assertThat(await(processor.onRequestBody(request, state))).isEqualTo(Verdict.CONTINUE);
    assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"model\":\"redacted\"}");
    assertThat(request.bodyChanged()).isTrue();

    var response = sseResponse();
    assertThat(await(processor.onResponseHeaders(request, response, state))).isEqualTo(Verdict.CONTINUE);
    assertThat(response.headers().get("x-processed")).isEqualTo("yes");

    var stream = mutating.stream(before);
    assertThat(stream.next().getRequestCase()).isEqualTo(RequestCase.REQUEST_HEADERS);
    ProcessingRequest body = stream.next();
    assertThat(body.getRequestBody().getBody().toStringUtf8()).isEqualTo("{\"model\":\"gpt\"}");
    assertThat(body.getRequestBody().getEndOfStream()).isTrue();
    assertThat(stream.next().getRequestCase()).isEqualTo(RequestCase.RESPONSE_HEADERS);
    assertThat(stream.awaitEnd()).isEqualTo("half-closed");
  }

  @Test
  void bufferedBodyModeSendsEachWholeBodyOnce() throws Exception {
    var processor = processor(mutating, new ProcessingModeSpec(HeaderSendMode.SKIP, BodySendMode.BUFFERED,
        HeaderSendMode.SKIP, BodySendMode.BUFFERED));
    var request = new ProcessedRequest("POST", "/v1/embeddings", TestHeaders.of(), utf8("{\"input\":\"x\"}"), null);
    var response = new ProcessedResponse(200, TestHeaders.of("content-type", "application/json"));
    int before = mutating.streamCount();

    await(processor.onRequestBody(request, state));
    ChunkVerdict verdict = await(processor.onResponseChunk(request, response,
        new ResponseChunk(utf8("{\"data\":[]}"), false, true), state));

    assertThat(verdict).isInstanceOfSatisfying(ChunkVerdict.Emit.class,
        emit -> assertThat(emit.chunks()).singleElement().isEqualTo(utf8("{\"DATA\":[]}")));
    var stream = mutating.stream(before);
    ProcessingRequest first = stream.next();
    assertThat(first.getProtocolConfig().getRequestBodyMode()).isEqualTo(ProcessingMode.BodySendMode.BUFFERED);
    assertThat(first.getProtocolConfig().getResponseBodyMode()).isEqualTo(ProcessingMode.BodySendMode.BUFFERED);
    assertThat(first.getRequestBody().getBody().toStringUtf8()).isEqualTo("{\"input\":\"x\"}");
    assertThat(first.getRequestBody().getEndOfStream()).isTrue();
    ProcessingRequest second = stream.next();
    assertThat(second.getResponseBody().getEndOfStream()).isTrue();
    assertThat(stream.awaitEnd()).isEqualTo("half-closed");
    assertThat(stream.received).isEmpty();
  }

  @Test
  void streamedResponseBodyReplacesEachChunk() throws Exception {
    var processor = processor(mutating, STREAMED_RESPONSE);
    var request = chatRequest();
    var response = sseResponse();
    int before = mutating.streamCount();
    List<String> events = List.of("data: {\"c\":\"hello\"}\n\n", "data: {\"c\":\"world\"}\n\n", "data: [DONE]\n\n", "");

    for (int i = 0; i < events.size(); i++) {
      boolean last = i == events.size() - 1;
      ChunkVerdict verdict = await(processor.onResponseChunk(request, response,
          new ResponseChunk(utf8(events.get(i)), true, last), state));
      String expected = events.get(i).toUpperCase();
      assertThat(verdict).isInstanceOfSatisfying(ChunkVerdict.Emit.class,
          emit -> assertThat(emit.chunks()).singleElement().isEqualTo(utf8(expected)));
    }

    var stream = mutating.stream(before);
    for (int i = 0; i < events.size(); i++) {
      ProcessingRequest message = stream.next();
      assertThat(message.getRequestCase()).isEqualTo(RequestCase.RESPONSE_BODY);
      assertThat(message.getResponseBody().getBody().toStringUtf8()).isEqualTo(events.get(i));
      assertThat(message.getResponseBody().getEndOfStream()).isEqualTo(i == events.size() - 1);
    }
    assertThat(stream.awaitEnd()).isEqualTo("half-closed");
  }

  @Test
  void immediateResponseOnRequestHeadersBecomesTheVerdict() throws Exception {
    var processor = processor(immediate, HEADERS_ONLY);
    var request = chatRequest();
    int before = immediate.streamCount();

    Verdict verdict = await(processor.onRequestHeaders(request, state));

    assertThat(verdict).isInstanceOfSatisfying(Verdict.ImmediateResponse.class, r -> {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.headers()).containsExactly(Map.entry("content-type", List.of("application/json")));
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"blocked\"}");
      assertThat(r.detail()).isEqualTo("blocked by policy");
    });
    var stream = immediate.stream(before);
    assertThat(stream.awaitEnd()).as("nothing is sent after an immediate response").isEqualTo("half-closed");
    assertThat(await(processor.onResponseHeaders(request, sseResponse(), state))).isEqualTo(Verdict.CONTINUE);
    stream.next();
    assertThat(stream.received).isEmpty();
  }

  @Test
  void immediateResponseDuringTheResponseStreamEndsItWithAnErrorEvent() throws Exception {
    var processor = processor(immediate, STREAMED_RESPONSE);

    ChunkVerdict verdict = await(processor.onResponseChunk(chatRequest(), sseResponse(),
        new ResponseChunk(utf8("data: {}\n\n"), true, false), state));

    assertThat(verdict).isInstanceOfSatisfying(ChunkVerdict.End.class, end -> {
      String event = new String(end.finalBytes(), StandardCharsets.UTF_8);
      assertThat(event).startsWith("data: {").endsWith("\n\n").contains("processor_failed").contains("guard")
          .contains("403");
      assertThat(end.detail()).contains("blocked by policy");
    });
  }

  @Test
  void immediateResponseOnAStreamedRequestChunkFailsTheStageWithTheVerdict() throws Exception {
    var processor = processor(immediate, STREAMED_REQUEST);

    var stage = processor.onRequestBodyChunk(chatRequest(), utf8("{\"a\":"), false, state).toCompletableFuture();

    assertThatThrownBy(() -> stage.get(5, TimeUnit.SECONDS)).cause()
        .isInstanceOfSatisfying(ExtProcImmediateResponseException.class,
            e -> assertThat(e.verdict().status()).isEqualTo(403));
  }

  @Test
  void aHangingServerLeavesTheStageIncompleteUntilCloseCancelsTheStream() throws Exception {
    var processor = processor(hanging, HEADERS_ONLY);
    int before = hanging.streamCount();

    var stage = processor.onRequestHeaders(chatRequest(), state).toCompletableFuture();

    var stream = hanging.stream(before);
    assertThat(stream.next().getRequestCase()).isEqualTo(RequestCase.REQUEST_HEADERS);
    assertThat(stage).as("the server has the message and will never answer it").isNotDone();
    assertThat(stream.end).isNotDone();

    state.close();

    assertThat(stream.awaitEnd()).isEqualTo("cancelled");
    assertThatThrownBy(() -> stage.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(ExtProcException.class)
        .hasMessageContaining("exchange closed");
  }

  @Test
  void cancellingAnAbandonedStageCancelsTheStreamAndLaterStagesPassThrough() throws Exception {
    var processor = processor(hanging, HEADERS_ONLY);
    int before = hanging.streamCount();
    var request = chatRequest();

    var stage = processor.onRequestHeaders(request, state).toCompletableFuture();
    var stream = hanging.stream(before);
    stream.next();

    stage.cancel(false);

    assertThat(stream.awaitEnd()).isEqualTo("cancelled");
    assertThat(await(processor.onResponseHeaders(request, sseResponse(), state))).isEqualTo(Verdict.CONTINUE);
  }

  @Test
  void aDownEndpointFailsWithUnavailableRatherThanWaitingForIt() throws Exception {
    var spec = new ExtProcessSpec("127.0.0.1", FakeExtProcServer.downPort(), false, HEADERS_ONLY);
    var processor = channels.processor("guard", spec);
    state = processor.newState();

    var stage = processor.onRequestHeaders(chatRequest(), state).toCompletableFuture();

    // The processor has no deadline of its own, so a call that waited for the endpoint (wait for
    // ready) would never end: failing at all, with UNAVAILABLE from the transport, is failing fast.
    assertThatThrownBy(() -> stage.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
        .isInstanceOf(ExtProcException.class).hasMessageContaining("guard").hasMessageContaining("UNAVAILABLE")
        .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    var later = processor.onResponseHeaders(chatRequest(), sseResponse(), state).toCompletableFuture();
    assertThatThrownBy(() -> later.get(5, TimeUnit.SECONDS)).cause().hasMessageContaining("UNAVAILABLE");
  }

  @Test
  void closingMidStreamCancelsTheServerStream() throws Exception {
    var processor = processor(continuing, STREAMED_RESPONSE);
    var request = chatRequest();
    var response = sseResponse();
    int before = continuing.streamCount();
    await(processor.onResponseChunk(request, response, new ResponseChunk(utf8("data: {}\n\n"), true, false), state));
    var stream = continuing.stream(before);
    stream.next();

    state.close();

    assertThat(stream.awaitEnd()).isEqualTo("cancelled");
    var chunk = new ResponseChunk(utf8("data: {}\n\n"), true, false);
    assertThat(await(processor.onResponseChunk(request, response, chunk, state)))
        .as("a closed exchange sends nothing more").isInstanceOf(ChunkVerdict.Emit.class);
    assertThat(stream.received).isEmpty();
  }

  @Test
  void anAnswerOfTheWrongTypeFailsTheStageAndCancelsTheStream() throws Exception {
    scripted = FakeExtProcServer.answering(request -> ProcessingResponse.newBuilder()
        .setRequestBody(BodyResponse.getDefaultInstance()).build());
    var processor = processor(scripted, HEADERS_ONLY);

    var stage = processor.onRequestHeaders(chatRequest(), state).toCompletableFuture();

    assertThatThrownBy(() -> stage.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(ExtProcException.class)
        .hasMessage("ext_proc processor guard: answered request_body to request_headers");
    assertThat(scripted.stream(0).awaitEnd()).isEqualTo("cancelled");
  }

  @Test
  void aServerClosingTheStreamLetsThisAndLaterStagesContinueUnchanged() throws Exception {
    scripted = FakeExtProcServer.start((request, out) -> out.onCompleted());
    var processor = processor(scripted, HEADERS_ONLY);
    var request = chatRequest();

    assertThat(await(processor.onRequestHeaders(request, state))).isEqualTo(Verdict.CONTINUE);
    assertThat(await(processor.onResponseHeaders(request, sseResponse(), state))).isEqualTo(Verdict.CONTINUE);
    var stream = scripted.stream(0);
    stream.next();
    assertThat(stream.received).isEmpty();
  }

  @Test
  void continueAndReplaceOnRequestHeadersReplacesTheBodyAndSkipsBodyMessages() throws Exception {
    scripted = FakeExtProcServer.answering(request -> common(request, CommonResponse.newBuilder()
        .setStatus(CommonResponse.ResponseStatus.CONTINUE_AND_REPLACE)
        .setBodyMutation(BodyMutation.newBuilder().setBody(ByteString.copyFromUtf8("{\"replaced\":true}")))
        .setClearRouteCache(true)
        .build()));
    var processor = processor(scripted, BUFFERED_BOTH);
    var request = chatRequest();

    assertThat(await(processor.onRequestHeaders(request, state))).isEqualTo(Verdict.CONTINUE);
    assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"replaced\":true}");
    assertThat(processor.routeCacheCleared(state)).isTrue();
    assertThat(await(processor.onRequestBody(request, state))).isEqualTo(Verdict.CONTINUE);

    var stream = scripted.stream(0);
    assertThat(stream.next().getRequestCase()).isEqualTo(RequestCase.REQUEST_HEADERS);
    assertThat(stream.received).as("no request_body after CONTINUE_AND_REPLACE").isEmpty();
  }

  @Test
  void continueAndReplaceOnResponseHeadersReplacesTheStreamedBody() throws Exception {
    scripted = FakeExtProcServer.answering(request -> common(request, CommonResponse.newBuilder()
        .setStatus(CommonResponse.ResponseStatus.CONTINUE_AND_REPLACE)
        .setBodyMutation(BodyMutation.newBuilder().setBody(ByteString.copyFromUtf8("data: replaced\n\n")))
        .build()));
    var processor = processor(scripted, new ProcessingModeSpec(HeaderSendMode.SKIP, BodySendMode.NONE,
        HeaderSendMode.SEND, BodySendMode.STREAMED));
    var request = chatRequest();
    var response = sseResponse();

    await(processor.onResponseHeaders(request, response, state));
    var first = await(processor.onResponseChunk(request, response, new ResponseChunk(utf8("data: a\n\n"), true, false), state));
    var second = await(processor.onResponseChunk(request, response, new ResponseChunk(utf8("data: b\n\n"), true, true), state));

    assertThat(first).isInstanceOfSatisfying(ChunkVerdict.Emit.class,
        emit -> assertThat(emit.chunks()).singleElement().isEqualTo(utf8("data: replaced\n\n")));
    assertThat(second).isInstanceOfSatisfying(ChunkVerdict.Emit.class,
        emit -> assertThat(emit.chunks()).singleElement().isEqualTo(new byte[0]));
    var stream = scripted.stream(0);
    assertThat(stream.next().getRequestCase()).isEqualTo(RequestCase.RESPONSE_HEADERS);
    assertThat(stream.awaitEnd()).isEqualTo("half-closed");
    assertThat(stream.received).isEmpty();
  }

  @Test
  void modeOverrideOnRequestHeadersSwitchesLaterMessagesOff() throws Exception {
    scripted = FakeExtProcServer.answering(request -> common(request, CommonResponse.getDefaultInstance()).toBuilder()
        .setModeOverride(ProcessingMode.newBuilder().setResponseHeaderMode(ProcessingMode.HeaderSendMode.SKIP))
        .build());
    var processor = processor(scripted, BUFFERED_BOTH);
    var request = chatRequest();
    var response = sseResponse();

    await(processor.onRequestHeaders(request, state));
    request.setBody(utf8("{}"));
    await(processor.onRequestBody(request, state));
    await(processor.onResponseHeaders(request, response, state));
    await(processor.onResponseChunk(request, response, new ResponseChunk(utf8("{}"), false, true), state));

    var stream = scripted.stream(0);
    assertThat(stream.next().getRequestCase()).isEqualTo(RequestCase.REQUEST_HEADERS);
    assertThat(stream.awaitEnd()).as("both bodies NONE and response headers SKIP: nothing left").isEqualTo("half-closed");
    assertThat(stream.received).isEmpty();
  }

  @Test
  void streamedRequestChunksAreSentAndReplacedOneByOne() throws Exception {
    scripted = FakeExtProcServer.answering(request -> common(request, FakeExtProcServer.replaceBody(
        ("<" + request.getRequestBody().getBody().toStringUtf8() + ">").getBytes(StandardCharsets.UTF_8))));
    var processor = processor(scripted, STREAMED_REQUEST);
    var request = chatRequest();

    assertThat(await(processor.onRequestBodyChunk(request, utf8("ab"), false, state))).isEqualTo(utf8("<ab>"));
    assertThat(await(processor.onRequestBodyChunk(request, utf8("cd"), true, state))).isEqualTo(utf8("<cd>"));
    var stream = scripted.stream(0);
    assertThat(stream.next().getRequestBody().getEndOfStream()).isFalse();
    assertThat(stream.next().getRequestBody().getEndOfStream()).isTrue();
    assertThat(stream.awaitEnd()).isEqualTo("half-closed");
  }
}
