package dev.aigis.core.processing;

import static dev.aigis.core.processing.FakeProcessor.done;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.api.GatewayError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class ProcessingChainTest {

  private static final Executor DIRECT = Runnable::run;
  private static final Duration TIMEOUT = Duration.ofMillis(200);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final RecordingObserver observer = new RecordingObserver();

  private static ConfiguredProcessor closed(String name, Processor p) {
    return new ConfiguredProcessor(name, FailureMode.FailClosed, TIMEOUT, p);
  }

  private static ConfiguredProcessor open(String name, Processor p) {
    return new ConfiguredProcessor(name, FailureMode.FailOpen, TIMEOUT, p);
  }

  private ChainExchange start(ConfiguredProcessor... processors) {
    return new ProcessingChain("chain", List.of(processors)).start(DIRECT, scheduler, observer);
  }

  private static ProcessedRequest request(String body) {
    return new ProcessedRequest("POST", "/v1/chat/completions", HeaderList.of("content-type", "application/json"),
        body == null ? null : body.getBytes(StandardCharsets.UTF_8), "gpt-4o");
  }

  private static <T> T now(CompletionStage<T> stage) {
    CompletableFuture<T> future = stage.toCompletableFuture();
    assertThat(future).isDone();
    return future.join();
  }

  @Test
  void processorsRunInListOrderAndSeeThePreviousMutations() {
    var first = FakeProcessor.requestSide();
    first.requestHeaders = r -> {
      r.headers().set("x-step", "1");
      return done(Verdict.CONTINUE);
    };
    first.requestBody = r -> {
      r.setBody("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
      return done(Verdict.CONTINUE);
    };
    var second = FakeProcessor.requestSide();
    second.requestHeaders = r -> {
      r.headers().set("x-step", r.headers().get("x-step") + ",2");
      return done(Verdict.CONTINUE);
    };
    second.requestBody = r -> {
      r.headers().set("x-body-a", r.json().path("a").asText());
      return done(Verdict.CONTINUE);
    };
    ProcessedRequest request = request("{}");

    ChainOutcome outcome = now(start(closed("first", first), closed("second", second)).request(request));

    assertThat(outcome).isEqualTo(ChainOutcome.PROCEED);
    assertThat(request.headers().get("x-step")).isEqualTo("1,2");
    assertThat(request.headers().get("x-body-a")).isEqualTo("1");
    assertThat(first.calls).containsExactly("requestHeaders", "requestBody");
    assertThat(observer.events).containsExactly(
        "first:REQUEST_HEADERS:CONTINUED", "first:REQUEST_BODY:CONTINUED",
        "second:REQUEST_HEADERS:CONTINUED", "second:REQUEST_BODY:CONTINUED");
  }

  @Test
  void bodyStageRunsOnlyWhenBufferedAndTheRequestHasABody() {
    var buffered = FakeProcessor.requestSide();
    var headersOnly = new FakeProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    ChainExchange exchange = start(closed("buffered", buffered), closed("headersOnly", headersOnly));

    now(exchange.request(request(null)));

    assertThat(buffered.calls).containsExactly("requestHeaders");
    assertThat(headersOnly.calls).containsExactly("requestHeaders");
  }

  @Test
  void immediateResponseStopsTheRest() {
    var answer = new Verdict.ImmediateResponse(403, Map.of(), "no".getBytes(StandardCharsets.UTF_8), "denied");
    var guard = FakeProcessor.requestSide();
    guard.requestHeaders = r -> done(answer);
    var after = FakeProcessor.requestSide();
    ChainExchange exchange = start(closed("guard", guard), closed("after", after));

    ChainOutcome outcome = now(exchange.request(request("{}")));

    assertThat(outcome).isEqualTo(new ChainOutcome.Respond(answer));
    assertThat(guard.calls).containsExactly("requestHeaders");
    assertThat(after.calls).isEmpty();
    assertThat(exchange.ran()).containsExactly("guard");
    assertThat(observer.events).containsExactly("guard:REQUEST_HEADERS:RESPONDED");
  }

  @Test
  void failClosedErrorFailsTheExchangeWith500() {
    var broken = FakeProcessor.requestSide();
    broken.requestHeaders = r -> CompletableFuture.failedFuture(new ProcessorException("backend said no"));
    var after = FakeProcessor.requestSide();

    ChainOutcome outcome = now(start(closed("broken", broken), closed("after", after)).request(request("{}")));

    assertThat(outcome).isEqualTo(new ChainOutcome.Fail(new GatewayError.ProcessorFailed("broken", "backend said no")));
    assertThat(((ChainOutcome.Fail) outcome).error().status()).isEqualTo(500);
    assertThat(after.calls).isEmpty();
    assertThat(observer.events).containsExactly("broken:REQUEST_HEADERS:FAILED_CLOSED");
  }

  @Test
  void aThrownExceptionIsAnErrorAndItsMessageIsNotShownToClients() {
    var broken = FakeProcessor.requestSide();
    broken.requestHeaders = r -> {
      throw new IllegalStateException("secret prompt text");
    };

    ChainOutcome outcome = now(start(closed("broken", broken)).request(request("{}")));

    assertThat(outcome).isEqualTo(new ChainOutcome.Fail(
        new GatewayError.ProcessorFailed("broken", "unexpected IllegalStateException")));
  }

  @Test
  void failClosedTimeoutFailsTheExchangeWith504() {
    var slow = FakeProcessor.requestSide();
    slow.requestHeaders = r -> new CompletableFuture<>();

    CompletableFuture<ChainOutcome> outcome = start(closed("slow", slow)).request(request("{}")).toCompletableFuture();
    assertThat(outcome).isNotDone();
    scheduler.advance(TIMEOUT);

    assertThat(outcome.join()).isEqualTo(new ChainOutcome.Fail(new GatewayError.ProcessorTimeout("slow", 200)));
    assertThat(((ChainOutcome.Fail) outcome.join()).error().status()).isEqualTo(504);
    assertThat(observer.events).containsExactly("slow:REQUEST_HEADERS:TIMED_OUT_CLOSED");
  }

  @Test
  void failOpenErrorSkipsTheProcessorAndIsRecorded() {
    var broken = FakeProcessor.requestSide();
    broken.requestHeaders = r -> CompletableFuture.failedFuture(new RuntimeException("boom"));
    var after = FakeProcessor.requestSide();

    ChainOutcome outcome = now(start(open("broken", broken), closed("after", after)).request(request("{}")));

    assertThat(outcome).isEqualTo(ChainOutcome.PROCEED);
    assertThat(broken.calls).containsExactly("requestHeaders", "requestBody");
    assertThat(after.calls).containsExactly("requestHeaders", "requestBody");
    assertThat(observer.events).first().isEqualTo("broken:REQUEST_HEADERS:FAILED_OPEN");
  }

  @Test
  void failOpenTimeoutSkipsTheProcessorAndIsRecorded() {
    var slow = new FakeProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    slow.requestHeaders = r -> new CompletableFuture<>();
    var after = new FakeProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);

    CompletableFuture<ChainOutcome> outcome =
        start(open("slow", slow), closed("after", after)).request(request("{}")).toCompletableFuture();
    assertThat(after.calls).isEmpty();
    scheduler.advance(TIMEOUT);

    assertThat(outcome.join()).isEqualTo(ChainOutcome.PROCEED);
    assertThat(after.calls).containsExactly("requestHeaders");
    assertThat(observer.events).containsExactly("slow:REQUEST_HEADERS:TIMED_OUT_OPEN", "after:REQUEST_HEADERS:CONTINUED");
  }

  @Test
  void aLateCompletionAfterTheTimeoutIsIgnored() {
    var slow = new FakeProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    CompletableFuture<Verdict> late = new CompletableFuture<>();
    slow.requestHeaders = r -> late;
    var after = new FakeProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    ChainExchange exchange = start(open("slow", slow), closed("after", after));

    CompletableFuture<ChainOutcome> outcome = exchange.request(request("{}")).toCompletableFuture();
    scheduler.advance(TIMEOUT);
    late.complete(new Verdict.ImmediateResponse(403, Map.of(), new byte[0], "too late"));

    assertThat(outcome.join()).isEqualTo(ChainOutcome.PROCEED);
    assertThat(after.calls).containsExactly("requestHeaders");
    assertThat(observer.events).containsExactly("slow:REQUEST_HEADERS:TIMED_OUT_OPEN", "after:REQUEST_HEADERS:CONTINUED");
  }

  @Test
  void aCompletionBeforeTheTimeoutCancelsTheTimer() {
    var async = new FakeProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    CompletableFuture<Verdict> answer = new CompletableFuture<>();
    async.requestHeaders = r -> answer;

    CompletableFuture<ChainOutcome> outcome = start(closed("async", async)).request(request("{}")).toCompletableFuture();
    answer.complete(Verdict.CONTINUE);
    scheduler.advance(TIMEOUT);

    assertThat(outcome.join()).isEqualTo(ChainOutcome.PROCEED);
    assertThat(scheduler.pending()).isZero();
    assertThat(observer.events).containsExactly("async:REQUEST_HEADERS:CONTINUED");
  }

  @Test
  void afterAnAsyncCompletionTheChainContinuesOnTheExecutor() {
    ArrayDeque<Runnable> loop = new ArrayDeque<>();
    var async = new FakeProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    CompletableFuture<Verdict> answer = new CompletableFuture<>();
    async.requestHeaders = r -> answer;
    var after = new FakeProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    ChainExchange exchange = new ProcessingChain("chain", List.of(closed("async", async), closed("after", after)))
        .start(loop::add, scheduler, observer);

    CompletableFuture<ChainOutcome> outcome = exchange.request(request("{}")).toCompletableFuture();
    answer.complete(Verdict.CONTINUE);
    assertThat(after.calls).as("nothing runs on the completing thread").isEmpty();
    loop.poll().run();

    assertThat(after.calls).containsExactly("requestHeaders");
    assertThat(outcome.join()).isEqualTo(ChainOutcome.PROCEED);
  }

  @Test
  void theObserverReceivesEveryStageWithItsDuration() {
    var a = new FakeProcessor(new ProcessorNeeds(true, BodyMode.NONE, true, BodyMode.NONE, 0));
    var b = new FakeProcessor(new ProcessorNeeds(false, BodyMode.NONE, true, BodyMode.NONE, 0));
    b.responseHeaders = r -> CompletableFuture.failedFuture(new RuntimeException("x"));
    ChainExchange exchange = start(closed("a", a), open("b", b));
    ProcessedRequest request = request(null);

    now(exchange.request(request));
    now(exchange.responseHeaders(request, new ProcessedResponse(200, new HeaderList())));

    assertThat(observer.events).containsExactly(
        "a:REQUEST_HEADERS:CONTINUED", "a:RESPONSE_HEADERS:CONTINUED", "b:RESPONSE_HEADERS:FAILED_OPEN");
    assertThat(observer.nanos).allSatisfy(n -> assertThat(n).isNotNegative());
  }

  @Test
  void responseHeadersRunInListOrder() {
    var a = new FakeProcessor(new ProcessorNeeds(false, BodyMode.NONE, true, BodyMode.NONE, 0));
    a.responseHeaders = r -> {
      r.headers().set("x-order", "a");
      return done(Verdict.CONTINUE);
    };
    var b = new FakeProcessor(new ProcessorNeeds(false, BodyMode.NONE, true, BodyMode.NONE, 0));
    b.responseHeaders = r -> {
      r.headers().set("x-order", r.headers().get("x-order") + "b");
      return done(new Verdict.ImmediateResponse(502, Map.of(), new byte[0], "replace"));
    };
    var response = new ProcessedResponse(200, new HeaderList());

    ChainOutcome outcome = now(start(closed("a", a), closed("b", b)).responseHeaders(request(null), response));

    assertThat(response.headers().get("x-order")).isEqualTo("ab");
    assertThat(outcome).isInstanceOf(ChainOutcome.Respond.class);
  }

  @Test
  void needsAreTheUnionOfTheProcessorsNeeds() {
    var chain = new ProcessingChain("chain", List.of(
        closed("a", new FakeProcessor(new ProcessorNeeds(true, BodyMode.STREAMED, false, BodyMode.STREAMED, 2))),
        closed("b", new FakeProcessor(new ProcessorNeeds(false, BodyMode.BUFFERED, true, BodyMode.NONE, 5))),
        closed("c", new FakeProcessor(new ProcessorNeeds(false, BodyMode.NONE, false, BodyMode.BUFFERED, 0)))));

    assertThat(chain.needs()).isEqualTo(new ProcessorNeeds(true, BodyMode.BUFFERED, true, BodyMode.BUFFERED, 5));
    assertThat(new ProcessingChain("empty", List.of()).needs())
        .isEqualTo(new ProcessorNeeds(false, BodyMode.NONE, false, BodyMode.NONE, 0));
  }

  @Test
  void closeClosesEveryStateCreatedOnce() {
    var used = new FakeProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    var unused = FakeProcessor.streaming(0);
    ChainExchange exchange = start(closed("used", used), closed("unused", unused));

    now(exchange.request(request(null)));
    exchange.close();
    exchange.close();

    assertThat(used.statesCreated).isEqualTo(1);
    assertThat(used.statesClosed).isEqualTo(1);
    assertThat(unused.statesCreated).isZero();
  }

  @Test
  void aStagePendingWhenTheExchangeClosesRunsNothingFurther() {
    var async = new FakeProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    CompletableFuture<Verdict> answer = new CompletableFuture<>();
    async.requestHeaders = r -> answer;
    var after = new FakeProcessor(ProcessorNeeds.REQUEST_HEADERS_ONLY);
    ChainExchange exchange = start(closed("async", async), closed("after", after));

    CompletableFuture<ChainOutcome> outcome = exchange.request(request(null)).toCompletableFuture();
    exchange.close();
    answer.complete(Verdict.CONTINUE);

    assertThat(outcome.join()).isInstanceOf(ChainOutcome.Fail.class);
    assertThat(after.calls).isEmpty();
    assertThat(async.statesClosed).isEqualTo(1);
  }
}
