package dev.aigis.core.exchange;

import static dev.aigis.core.exchange.PipelineFixtures.chain;
import static dev.aigis.core.exchange.PipelineFixtures.chatRequest;
import static dev.aigis.core.exchange.PipelineFixtures.route;
import static dev.aigis.core.exchange.PipelineFixtures.router;
import static dev.aigis.core.exchange.PipelineFixtures.rule;
import static dev.aigis.core.processing.FakeProcessor.done;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ChunkOutcome;
import dev.aigis.core.processing.ChunkVerdict;
import dev.aigis.core.processing.FakeProcessor;
import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.ManualScheduler;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.RecordingObserver;
import dev.aigis.core.processing.ResponseChunk;
import dev.aigis.core.processing.Verdict;
import dev.aigis.core.routing.Router;
import dev.aigis.model.route.RouteFilter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The response side of {@link PipelineRun}: the started chains run backwards, chunk by chunk, and
 * every chain sees the end of the stream. The pipeline here has a chain at each place a
 * PayloadProcessor can stand: Gateway PreRouting, an ExtensionRef followed by a route
 * ResponseHeaderModifier, Gateway PostRouting, route PostRouting.
 */
class PipelineRunResponseTest {

  private static final Executor DIRECT = Runnable::run;
  private static final ProcessorNeeds RESPONSE_HEADERS = new ProcessorNeeds(false, BodyMode.NONE, true, BodyMode.NONE, 0);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final RecordingObserver observer = new RecordingObserver();
  private final List<String> trace = new ArrayList<>();
  private final ExchangeContext context = PipelineFixtures.context();
  private final ProcessedResponse response = new ProcessedResponse(200, HeaderList.of("content-type", "text/event-stream"));
  private final Router router = router(route("chat", rule("/v1", List.of(
      new RouteFilter.ExtensionRef("aigis.dev", "PayloadProcessor", "guard"),
      new RouteFilter.ResponseHeaderModifier(new RouteFilter.HeaderModifier(
          List.of(new RouteFilter.HeaderValue("x-route-filter", "on")), null, null))))));

  private FakeProcessor gatewayPre;
  private FakeProcessor extensionRef;
  private FakeProcessor gatewayPost;
  private FakeProcessor routePost;

  @BeforeEach
  void processors() {
    gatewayPre = tagging("gateway-pre");
    extensionRef = tagging("extension-ref");
    gatewayPost = tagging("gateway-post");
    routePost = tagging("route-post");
  }

  /**
   * Sees response headers (tracing whether the route's ResponseHeaderModifier already ran) and
   * streamed chunks, each of which it passes on with {@code |name} appended.
   */
  private FakeProcessor tagging(String name) {
    var p = new FakeProcessor(new ProcessorNeeds(false, BodyMode.NONE, true, BodyMode.STREAMED, 0));
    p.responseHeaders = r -> {
      trace.add(name + " x-route-filter=" + r.headers().get("x-route-filter"));
      return done(Verdict.CONTINUE);
    };
    p.chunks = c -> done(new ChunkVerdict.Emit(List.of(bytes(text(c.bytes()) + "|" + name))));
    return p;
  }

  private PipelineRun started() {
    var pipeline = new ExchangePipeline(new ExchangePipeline.Chains(
        chain("gw-pre", "pre", gatewayPre),
        chain("gw-post", "post", gatewayPost),
        Map.of("default/chat", chain("route-post", "last", routePost)),
        Map.of("default/guard", chain("guard", "check", extensionRef))));
    PipelineRun run = pipeline.start(context, DIRECT, scheduler, observer);
    ChainOutcome outcome = now(run.request(chatRequest(context, "gpt-4o"), new PipelineFixtures.Barrier(router, context, trace)));
    assertThat(outcome).isEqualTo(ChainOutcome.PROCEED);
    trace.clear();
    return run;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static List<String> written(ChunkOutcome outcome) {
    assertThat(outcome).isInstanceOf(ChunkOutcome.Write.class);
    return ((ChunkOutcome.Write) outcome).chunks().stream().map(PipelineRunResponseTest::text).toList();
  }

  private static <T> T now(CompletionStage<T> stage) {
    CompletableFuture<T> future = stage.toCompletableFuture();
    assertThat(future).isDone();
    return future.join();
  }

  @Test
  void responseHeaderStagesRunOverTheStartedChainsBackwards() {
    PipelineRun run = started();

    ChainOutcome outcome = now(run.responseHeaders(response));

    assertThat(outcome).isEqualTo(ChainOutcome.PROCEED);
    // The route's ResponseHeaderModifier stands after the ExtensionRef, so on the way back it runs
    // after both PostRouting chains and before the ExtensionRef and PreRouting.
    assertThat(trace).containsExactly(
        "route-post x-route-filter=null",
        "gateway-post x-route-filter=null",
        "extension-ref x-route-filter=on",
        "gateway-pre x-route-filter=on");
    assertThat(response.headers().get("x-route-filter")).isEqualTo("on");
  }

  @Test
  void theFirstResponseHeaderStageThatDoesNotProceedWins() {
    var answer = new Verdict.ImmediateResponse(502, Map.of(), bytes("no"), "blocked");
    gatewayPost.responseHeaders = r -> {
      trace.add("gateway-post answers");
      return done(answer);
    };
    PipelineRun run = started();

    ChainOutcome outcome = now(run.responseHeaders(response));

    assertThat(outcome).isEqualTo(new ChainOutcome.Respond(answer));
    assertThat(trace).containsExactly("route-post x-route-filter=null", "gateway-post answers");
    assertThat(extensionRef.calls).doesNotContain("responseHeaders");
    assertThat(gatewayPre.calls).doesNotContain("responseHeaders");
  }

  @Test
  void responseChunksRunOverTheStartedChainsBackwards() {
    PipelineRun run = started();

    ChunkOutcome outcome = now(run.responseChunk(response, new ResponseChunk(bytes("event"), true, false)));

    assertThat(written(outcome)).containsExactly("event|route-post|gateway-post|extension-ref|gateway-pre");
    assertThat(observer.events).containsExactly(
        "last:RESPONSE_CHUNK:CONTINUED", "post:RESPONSE_CHUNK:CONTINUED",
        "check:RESPONSE_CHUNK:CONTINUED", "pre:RESPONSE_CHUNK:CONTINUED");
  }

  @Test
  void theStartedChainsDecideWhatTheResponseNeeds() {
    PipelineRun run = started();

    assertThat(run.processesResponse()).isTrue();
    assertThat(run.wantsResponseHeaders()).isTrue();
    assertThat(run.responseBody()).isEqualTo(BodyMode.STREAMED);
  }

  @Test
  void endOfStreamReachesEveryChainEvenAfterAChainThatEmittedNothing() {
    List<String> seen = new ArrayList<>();
    for (var named : Map.of("gateway-post", gatewayPost, "extension-ref", extensionRef).entrySet()) {
      named.getValue().chunks = c -> {
        seen.add(named.getKey() + " '" + text(c.bytes()) + "' end=" + c.endOfStream());
        return done(ChunkVerdict.pass(c));
      };
    }
    gatewayPre.chunks = c -> {
      seen.add("gateway-pre '" + text(c.bytes()) + "' end=" + c.endOfStream());
      return done(new ChunkVerdict.Emit(List.of(bytes(c.endOfStream() ? "[summary]" : text(c.bytes())))));
    };
    // Route PostRouting, first on the way back, drops every chunk (emitting an empty chunk drops one).
    routePost.chunks = c -> done(new ChunkVerdict.Emit(List.of(new byte[0])));
    PipelineRun run = started();

    List<String> first = written(now(run.responseChunk(response, new ResponseChunk(bytes("event"), true, false))));
    List<String> last = written(now(run.responseChunk(response, new ResponseChunk(bytes("data: [DONE]\n\n"), true, true))));

    assertThat(first).isEmpty();
    assertThat(seen).containsExactly("gateway-post '' end=true", "extension-ref '' end=true", "gateway-pre '' end=true");
    assertThat(last).containsExactly("[summary]");
  }

  @Test
  void theEndOfStreamMarkRidesOnTheLastChunkAChainEmits() {
    List<String> seenByPre = new ArrayList<>();
    gatewayPre.chunks = c -> {
      seenByPre.add(text(c.bytes()) + " end=" + c.endOfStream());
      return done(ChunkVerdict.pass(c));
    };
    routePost.chunks = c -> done(new ChunkVerdict.Emit(List.of(bytes("one"), bytes("two"))));
    PipelineRun run = started();

    List<String> out = written(now(run.responseChunk(response, new ResponseChunk(bytes("last event"), true, true))));

    assertThat(seenByPre).containsExactly("one|gateway-post|extension-ref end=false", "two|gateway-post|extension-ref end=true");
    assertThat(out).containsExactly("one|gateway-post|extension-ref", "two|gateway-post|extension-ref");
  }

  @Test
  void aWholeBodyArrivesAtABufferedProcessorAsOneChunkMarkedEndOfStream() {
    List<String> seen = new ArrayList<>();
    gatewayPost = new FakeProcessor(new ProcessorNeeds(false, BodyMode.NONE, false, BodyMode.BUFFERED, 0));
    gatewayPost.chunks = c -> {
      seen.add(text(c.bytes()) + " end=" + c.endOfStream() + " sse=" + c.sseEvent());
      return done(new ChunkVerdict.Emit(List.of(bytes(text(c.bytes()).toUpperCase()))));
    };
    PipelineRun run = started();
    String body = "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"hi\"}}]}";

    assertThat(run.responseBody()).isEqualTo(BodyMode.BUFFERED);
    List<String> out = written(now(run.responseChunk(response, new ResponseChunk(bytes(body), false, true))));

    assertThat(seen).containsExactly(body + "|route-post end=true sse=false");
    assertThat(out).containsExactly(body.toUpperCase() + "|ROUTE-POST|extension-ref|gateway-pre");
  }

  @Test
  void aBufferedProcessorGetsTheWholeBodyEvenWhenAnEarlierChainSplitsIt() {
    List<String> seen = new ArrayList<>();
    gatewayPost = new FakeProcessor(new ProcessorNeeds(false, BodyMode.NONE, false, BodyMode.BUFFERED, 0));
    gatewayPost.chunks = c -> {
      seen.add(text(c.bytes()) + " end=" + c.endOfStream());
      return done(ChunkVerdict.pass(c));
    };
    // A redactor on the way back before it emits the body as three pieces.
    routePost.chunks = c -> done(new ChunkVerdict.Emit(List.of(bytes("{\"content\":\""), bytes("[redacted]"), bytes("\"}"))));
    PipelineRun run = started();

    now(run.responseChunk(response, new ResponseChunk(bytes("{\"content\":\"secret\"}"), false, true)));

    assertThat(seen).containsExactly("{\"content\":\"[redacted]\"} end=true");
  }

  @Test
  void aChunkPassedOnUnchangedKeepsItsPivotAndARewrittenOneLosesIt() {
    ObjectNode pivot = Json.MAPPER.createObjectNode().put("object", "chat.completion.chunk");
    List<Object> pivotsSeenByPre = new ArrayList<>();
    List<Object> pivotsSeenByRef = new ArrayList<>();
    routePost.chunks = c -> done(ChunkVerdict.pass(c));
    gatewayPost.chunks = c -> done(ChunkVerdict.pass(c));
    extensionRef.chunks = c -> {
      pivotsSeenByRef.add(c.pivot());
      return done(new ChunkVerdict.Emit(List.of(bytes("rewritten"))));
    };
    gatewayPre.chunks = c -> {
      pivotsSeenByPre.add(String.valueOf(c.pivot()));
      return done(ChunkVerdict.pass(c));
    };
    PipelineRun run = started();

    now(run.responseChunk(response, new ResponseChunk(bytes("event"), true, false, pivot)));

    assertThat(pivotsSeenByRef).containsExactly(pivot);
    assertThat(pivotsSeenByPre).containsExactly("null");
  }

  @Test
  void anEndingChainStopsTheStreamWithWhatItAndTheChainsBeforeItWrote() {
    extensionRef.chunks = c -> done(new ChunkVerdict.End(bytes("error event"), "blocked"));
    PipelineRun run = started();

    ChunkOutcome outcome = now(run.responseChunk(response, new ResponseChunk(bytes("event"), true, false)));

    assertThat(outcome).isInstanceOf(ChunkOutcome.End.class);
    assertThat(text(((ChunkOutcome.End) outcome).finalBytes())).isEqualTo("error event");
    assertThat(gatewayPre.calls).doesNotContain("chunk");
  }

  @Test
  void closeClosesTheStatesOfEveryStartedChainOnce() {
    var unstarted = new FakeProcessor(RESPONSE_HEADERS);
    var pipeline = new ExchangePipeline(new ExchangePipeline.Chains(
        chain("gw-pre", "pre", gatewayPre), chain("gw-post", "post", gatewayPost),
        Map.of("default/other", chain("other-post", "other", unstarted)), Map.of()));
    Router plain = router(route("chat", rule("/v1", List.of())));
    PipelineRun run = pipeline.start(context, DIRECT, scheduler, observer);
    now(run.request(chatRequest(context, "gpt-4o"), new PipelineFixtures.Barrier(plain, context, trace)));
    now(run.responseHeaders(response));
    now(run.responseChunk(response, new ResponseChunk(bytes("event"), true, true)));
    assertThat(gatewayPre.statesCreated).isEqualTo(1);
    assertThat(gatewayPost.statesCreated).isEqualTo(1);

    run.close();
    run.close();

    assertThat(gatewayPre.statesClosed).isEqualTo(1);
    assertThat(gatewayPost.statesClosed).isEqualTo(1);
    assertThat(unstarted.statesCreated).isZero();
  }

  @Test
  void withNoChainLookingAtTheResponseChunksPassAsTheyAre() {
    PipelineRun run = ExchangePipeline.builtinOnly().start(context, DIRECT, scheduler, observer);
    now(run.request(chatRequest(context, "gpt-4o"), new PipelineFixtures.Barrier(router(route("chat", rule("/v1", List.of()))), context, trace)));

    assertThat(run.responseBody()).isEqualTo(BodyMode.NONE);
    assertThat(now(run.responseHeaders(response))).isEqualTo(ChainOutcome.PROCEED);
    assertThat(written(now(run.responseChunk(response, new ResponseChunk(bytes("event"), true, false))))).containsExactly("event");
    assertThat(written(now(run.responseChunk(response, new ResponseChunk(new byte[0], true, true))))).isEmpty();
  }
}
