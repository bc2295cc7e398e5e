package dev.aigis.core.exchange;

import static dev.aigis.core.exchange.PipelineFixtures.chain;
import static dev.aigis.core.exchange.PipelineFixtures.chatRequest;
import static dev.aigis.core.exchange.PipelineFixtures.route;
import static dev.aigis.core.exchange.PipelineFixtures.router;
import static dev.aigis.core.exchange.PipelineFixtures.rule;
import static dev.aigis.core.processing.FakeProcessor.done;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.FakeProcessor;
import dev.aigis.core.processing.ManualScheduler;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.RecordingObserver;
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
import org.junit.jupiter.api.Test;

/** The request side of {@link ExchangePipeline}/{@link PipelineRun}: which stages run, in which order, and what stops them. */
class ExchangePipelineTest {

  private static final Executor DIRECT = Runnable::run;
  private static final ProcessorNeeds HEADERS = ProcessorNeeds.REQUEST_HEADERS_ONLY;
  private static final String MODEL_HEADER = "X-Gateway-Model-Name";

  private final ManualScheduler scheduler = new ManualScheduler();
  private final RecordingObserver observer = new RecordingObserver();
  private final List<String> trace = new ArrayList<>();
  private final ExchangeContext context = PipelineFixtures.context();

  private static RouteFilter setRequestHeader(String name, String value) {
    return new RouteFilter.RequestHeaderModifier(
        new RouteFilter.HeaderModifier(List.of(new RouteFilter.HeaderValue(name, value)), null, null));
  }

  private static RouteFilter extensionRef(String name) {
    return new RouteFilter.ExtensionRef("aigis.dev", "PayloadProcessor", name);
  }

  private static RouteFilter rewritePrefix(String replacement) {
    return new RouteFilter.UrlRewrite(null,
        new RouteFilter.PathModifier(RouteFilter.PathModifier.Type.ReplacePrefixMatch, replacement));
  }

  /** A request-headers processor that adds {@code name: what it saw} to the trace. */
  private FakeProcessor tracing(String name, java.util.function.Function<ProcessedRequest, String> saw) {
    var p = new FakeProcessor(HEADERS);
    p.requestHeaders = r -> {
      trace.add(name + ": " + saw.apply(r));
      return done(Verdict.CONTINUE);
    };
    return p;
  }

  private static <T> T now(CompletionStage<T> stage) {
    CompletableFuture<T> future = stage.toCompletableFuture();
    assertThat(future).isDone();
    return future.join();
  }

  @Test
  void stagesRunModelHeaderThenPreRoutingThenTheBarrierThenRuleFiltersThenPostRouting() {
    // The rule matches only requests PreRouting tagged, so routing must see PreRouting's change.
    Router router = router(route("chat", rule("/v1",
        List.of(setRequestHeader("x-filter", "before-guard"), extensionRef("guard"), rewritePrefix("/openai/v1")),
        "x-tier", "gold")));
    var tier = new FakeProcessor(HEADERS);
    tier.requestHeaders = r -> {
      trace.add("gateway-pre: model header " + r.headers().get(MODEL_HEADER) + ", sets x-tier");
      r.headers().set("x-tier", "gold");
      return done(Verdict.CONTINUE);
    };
    var pipeline = new ExchangePipeline(new ExchangePipeline.Chains(
        chain("gw-pre", "tier", tier),
        chain("gw-post", "audit", tracing("gateway-post", r -> r.path())),
        Map.of("default/chat", chain("route-post", "last", tracing("route-post", r -> r.path()))),
        Map.of("default/guard", chain("guard", "check",
            tracing("extension-ref", r -> r.headers().get("x-filter") + " " + r.path())))));
    var barrier = new PipelineFixtures.Barrier(router, context, trace);
    ProcessedRequest request = chatRequest(context, "gpt-4o", MODEL_HEADER, "spoofed");

    ChainOutcome outcome = now(pipeline.start(context, DIRECT, scheduler, observer).request(request, barrier));

    assertThat(outcome).isEqualTo(ChainOutcome.PROCEED);
    assertThat(trace).containsExactly(
        "gateway-pre: model header gpt-4o, sets x-tier",
        "barrier",
        "extension-ref: before-guard /v1/chat/completions",
        "gateway-post: /openai/v1/chat/completions",
        "route-post: /openai/v1/chat/completions");
    assertThat(barrier.calls).hasValue(1);
    assertThat(context.routeName()).isEqualTo("default/chat");
    assertThat(context.backendName()).isEqualTo(PipelineFixtures.BACKEND);
    assertThat(context.model()).isEqualTo("gpt-4o");
  }

  @Test
  void filtersAfterAnExtensionRefRunAfterIt() {
    Router router = router(route("chat", rule("/v1",
        List.of(extensionRef("guard"), setRequestHeader("x-filter", "after-guard")))));
    var pipeline = new ExchangePipeline(new ExchangePipeline.Chains(null, null, Map.of(),
        Map.of("default/guard", chain("guard", "check", tracing("extension-ref", r -> "" + r.headers().get("x-filter"))))));
    ProcessedRequest request = chatRequest(context, "gpt-4o");

    now(pipeline.start(context, DIRECT, scheduler, observer)
        .request(request, new PipelineFixtures.Barrier(router, context, trace)));

    assertThat(trace).containsExactly("barrier", "extension-ref: null");
    assertThat(request.headers().get("x-filter")).isEqualTo("after-guard");
  }

  @Test
  void anAsynchronousPreRoutingStageHoldsTheBarrierUntilItCompletes() {
    var later = new CompletableFuture<Verdict>();
    var slow = new FakeProcessor(HEADERS);
    slow.requestHeaders = r -> later;
    var pipeline = new ExchangePipeline(new ExchangePipeline.Chains(chain("gw-pre", "slow", slow), null, Map.of(), Map.of()));
    var barrier = new PipelineFixtures.Barrier(router(route("chat", rule("/v1", List.of()))), context, trace);

    CompletableFuture<ChainOutcome> outcome = pipeline.start(context, DIRECT, scheduler, observer)
        .request(chatRequest(context, "gpt-4o"), barrier).toCompletableFuture();

    assertThat(outcome).isNotDone();
    assertThat(barrier.calls).hasValue(0);
    later.complete(Verdict.CONTINUE);
    assertThat(outcome).isCompletedWithValue(ChainOutcome.PROCEED);
    assertThat(barrier.calls).hasValue(1);
  }

  @Test
  void aBarrierRefusalStopsTheLaterStages() {
    FakeProcessor post = tracing("gateway-post", r -> r.path());
    FakeProcessor ref = tracing("extension-ref", r -> r.path());
    // The only route wants x-tier: gold, which nothing sets.
    Router router = router(route("chat", rule("/v1", List.of(extensionRef("guard")), "x-tier", "gold")));
    var pipeline = new ExchangePipeline(new ExchangePipeline.Chains(
        chain("gw-pre", "pre", tracing("gateway-pre", r -> r.path())), chain("gw-post", "audit", post), Map.of(),
        Map.of("default/guard", chain("guard", "check", ref))));
    PipelineRun run = pipeline.start(context, DIRECT, scheduler, observer);

    ChainOutcome outcome = now(run.request(chatRequest(context, "gpt-4o"), new PipelineFixtures.Barrier(router, context, trace)));

    assertThat(outcome).isEqualTo(new ChainOutcome.Fail(new GatewayError.RouteNotFound("POST", "/v1/chat/completions")));
    assertThat(trace).containsExactly("gateway-pre: /v1/chat/completions", "barrier");
    assertThat(post.calls).isEmpty();
    assertThat(ref.calls).isEmpty();
    assertThat(run.processorsThatRan()).isEqualTo("gw-pre/pre");
  }

  @Test
  void aPreRoutingImmediateResponseAnswersWithoutRouting() {
    var answer = new Verdict.ImmediateResponse(429, Map.of(), "slow down".getBytes(StandardCharsets.UTF_8), "limited");
    var limiter = new FakeProcessor(HEADERS);
    limiter.requestHeaders = r -> done(answer);
    var pipeline = new ExchangePipeline(new ExchangePipeline.Chains(chain("gw-pre", "limit", limiter), null, Map.of(), Map.of()));
    var barrier = new PipelineFixtures.Barrier(router(route("chat", rule("/v1", List.of()))), context, trace);

    ChainOutcome outcome = now(pipeline.start(context, DIRECT, scheduler, observer).request(chatRequest(context, "gpt-4o"), barrier));

    assertThat(outcome).isEqualTo(new ChainOutcome.Respond(answer));
    assertThat(barrier.calls).hasValue(0);
    assertThat(context.route()).isNull();
  }

  @Test
  void anUnresolvedExtensionRefFailsTheExchangeInsteadOfBeingSkipped() {
    FakeProcessor post = tracing("gateway-post", r -> r.path());
    Router router = router(route("chat", rule("/v1",
        List.of(setRequestHeader("x-filter", "ran"), extensionRef("missing"), setRequestHeader("x-after", "ran")))));
    var pipeline = new ExchangePipeline(new ExchangePipeline.Chains(null, chain("gw-post", "audit", post), Map.of(), Map.of()));
    ProcessedRequest request = chatRequest(context, "gpt-4o");

    ChainOutcome outcome = now(pipeline.start(context, DIRECT, scheduler, observer)
        .request(request, new PipelineFixtures.Barrier(router, context, trace)));

    assertThat(outcome).isEqualTo(new ChainOutcome.Fail(new GatewayError.UnresolvedExtension("PayloadProcessor default/missing")));
    assertThat(((ChainOutcome.Fail) outcome).error().status()).isEqualTo(500);
    assertThat(request.headers().get("x-filter")).as("filters before the reference ran").isEqualTo("ran");
    assertThat(request.headers().get("x-after")).as("filters after it did not").isNull();
    assertThat(post.calls).isEmpty();
  }

  @Test
  void builtInStagesAreNeitherObservedNorListedAsProcessorsThatRan() {
    Router router = router(route("chat", rule("/v1",
        List.of(setRequestHeader("x-filter", "ran"), extensionRef("guard"), rewritePrefix("/openai/v1")))));
    var pipeline = new ExchangePipeline(new ExchangePipeline.Chains(null, null, Map.of(),
        Map.of("default/guard", chain("guard", "check", new FakeProcessor(HEADERS)))));
    ProcessedRequest request = chatRequest(context, "gpt-4o");
    PipelineRun run = pipeline.start(context, DIRECT, scheduler, observer);

    now(run.request(request, new PipelineFixtures.Barrier(router, context, trace)));

    assertThat(request.headers().get(MODEL_HEADER)).as("the model-header step ran").isEqualTo("gpt-4o");
    assertThat(request.path()).as("the URL rewrite ran").isEqualTo("/openai/v1/chat/completions");
    assertThat(observer.events).containsExactly("check:REQUEST_HEADERS:CONTINUED");
    assertThat(run.processorsThatRan()).isEqualTo("guard/check");
    assertThat(run.ranConfiguredChains()).isTrue();
  }

  @Test
  void aPipelineOfBuiltInsOnlyReportsNothing() {
    Router router = router(route("chat", rule("/v1", List.of(setRequestHeader("x-filter", "ran")))));
    ProcessedRequest request = chatRequest(context, "gpt-4o");
    PipelineRun run = ExchangePipeline.builtinOnly().start(context, DIRECT, scheduler, observer);

    ChainOutcome outcome = now(run.request(request, new PipelineFixtures.Barrier(router, context, trace)));

    assertThat(outcome).isEqualTo(ChainOutcome.PROCEED);
    assertThat(request.headers().get("x-filter")).isEqualTo("ran");
    assertThat(observer.events).isEmpty();
    assertThat(run.processorsThatRan()).isEmpty();
    assertThat(run.ranConfiguredChains()).isFalse();
    assertThat(run.processesResponse()).isFalse();
  }

  @Test
  void withoutARouteOnlyTheGatewaysPostRoutingRuns() {
    // Behind the ext_proc server Envoy routes: the barrier records nothing and proceeds.
    FakeProcessor post = tracing("gateway-post", r -> r.path());
    var pipeline = new ExchangePipeline(new ExchangePipeline.Chains(null, chain("gw-post", "audit", post), Map.of(), Map.of()));

    ChainOutcome outcome = now(pipeline.start(context, DIRECT, scheduler, observer)
        .request(chatRequest(context, "gpt-4o"), r -> null));

    assertThat(outcome).isEqualTo(ChainOutcome.PROCEED);
    assertThat(trace).containsExactly("gateway-post: /v1/chat/completions");
  }

  @Test
  void requestBodiesAreNeededOnlyWhenSomeChainBuffersThem() {
    ProcessingChain headersOnly = chain("a", "a", new FakeProcessor(HEADERS));
    ProcessingChain buffered = chain("b", "b", FakeProcessor.requestSide());

    assertThat(ExchangePipeline.builtinOnly().requestBodyNeeded()).isFalse();
    assertThat(new ExchangePipeline(new ExchangePipeline.Chains(null, null, Map.of(), Map.of("default/a", headersOnly)))
        .requestBodyNeeded()).isFalse();
    assertThat(new ExchangePipeline(new ExchangePipeline.Chains(null, null, Map.of(),
        Map.of("default/a", headersOnly, "default/b", buffered))).requestBodyNeeded()).isTrue();
  }
}
