package dev.aigis.core.processing.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.exchange.Workers;
import dev.aigis.core.json.Json;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ChunkOutcome;
import dev.aigis.core.processing.ConfiguredProcessor;
import dev.aigis.core.processing.FailureMode;
import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.ManualScheduler;
import dev.aigis.core.processing.ManualWorkers;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.ProcessingObserver;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.RecordingObserver;
import dev.aigis.core.processing.ResponseChunk;
import dev.aigis.core.usage.TokenUsage;
import dev.aigis.model.processing.InProcessSpec;
import dev.aigis.model.processing.InProcessSpec.Assignment;
import dev.aigis.model.processing.InProcessSpec.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CelProcessorTest {

  private static final CelProcessorFactory FACTORY = new CelProcessorFactory();

  private static final String BODY = """
      {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"max_tokens":16,"user":"u1"}""";

  private final RecordingObserver observer = new RecordingObserver();

  private static Mutations headers(Assignment... set) {
    return new Mutations(List.of(set), List.of(), List.of(), List.of());
  }

  private static Assignment set(String target, String value) {
    return new Assignment(target, value);
  }

  private static Processor compile(InProcessSpec spec) {
    CelProcessorFactory.Compilation compilation = FACTORY.compile(spec);
    assertThat(compilation.errors()).isEmpty();
    return compilation.processor();
  }

  private static ProcessedRequest request(String body) {
    return new ProcessedRequest("POST", "/v1/chat/completions",
        HeaderList.of("Content-Type", "application/json", "X-Tenant", "acme", "x-tenant", "beta"),
        body == null ? null : body.getBytes(StandardCharsets.UTF_8), "gpt-4o");
  }

  private ChainOutcome runRequest(Processor processor, FailureMode mode, ProcessedRequest request) {
    var chain = new ProcessingChain("chain", List.of(new ConfiguredProcessor("cel", mode, null, processor)));
    return chain.start(Runnable::run, new ManualScheduler(), observer).request(request).toCompletableFuture().join();
  }

  private static JsonNode json(byte[] body) throws Exception {
    return Json.MAPPER.readTree(body);
  }

  @Test
  void setsAHeaderFromTheModelInTheBody() {
    Processor processor = compile(new InProcessSpec(headers(set("x-model", "json(request.body).model")), null));
    ProcessedRequest request = request(BODY);

    assertThat(runRequest(processor, FailureMode.FailClosed, request)).isEqualTo(ChainOutcome.PROCEED);

    assertThat(request.headers().get("x-model")).isEqualTo("gpt-4o");
    assertThat(processor.needs()).isEqualTo(new ProcessorNeeds(true, BodyMode.BUFFERED, false, BodyMode.NONE, 0));
  }

  @Test
  void headersMethodAndPathAreVisibleUnderBothNames() {
    Processor processor = compile(new InProcessSpec(new Mutations(List.of(
        set("x-seen", "request.method + ' ' + request.path + ' ' + request.headers['x-tenant']"),
        set("x-seen-k8s", "k8s.http.request.method + ' ' + k8s.http.request.path + ' ' + k8s.http.request.headers['content-type']")),
        List.of("X-Tenant"), List.of(), List.of()), null));
    ProcessedRequest request = request(null);

    runRequest(processor, FailureMode.FailClosed, request);

    assertThat(request.headers().get("x-seen")).isEqualTo("POST /v1/chat/completions acme,beta");
    assertThat(request.headers().get("x-seen-k8s")).isEqualTo("POST /v1/chat/completions application/json");
    assertThat(request.headers().get("x-tenant")).isNull();
    assertThat(processor.needs().requestBody()).as("no expression reads the body").isEqualTo(BodyMode.NONE);
  }

  @Test
  void k8sLlmModelIsTheModelTheBodyNames() {
    Processor processor = compile(new InProcessSpec(headers(set("x-llm-model", "k8s.llm.model")), null));
    ProcessedRequest withBody = request(BODY.replace("gpt-4o", "claude"));
    ProcessedRequest withoutModel = new ProcessedRequest("GET", "/v1/models", new HeaderList(), null, null);

    runRequest(processor, FailureMode.FailClosed, withBody);
    runRequest(processor, FailureMode.FailClosed, withoutModel);

    assertThat(withBody.headers().get("x-llm-model")).isEqualTo("claude");
    assertThat(withoutModel.headers().get("x-llm-model")).isEmpty();
  }

  @Test
  void setsAndRemovesBodyFieldsByJsonPath() throws Exception {
    Processor processor = compile(new InProcessSpec(new Mutations(List.of(), List.of(),
        List.of(set("$.metadata.tenant", "request.headers['x-tenant']"),
            set("$['max_tokens']", "json(request.body).max_tokens * 2"),
            set("$.messages[0].role", "'system'"),
            set("$.temperature", "0.5"),
            set("$.extra", "{'flags': [true, null], 'n': 1}"),
            set("$.model", "'gpt-4o-mini'")),
        List.of("$.user", "$.not.there")), null));
    ProcessedRequest request = request(BODY);

    assertThat(runRequest(processor, FailureMode.FailClosed, request)).isEqualTo(ChainOutcome.PROCEED);

    assertThat(json(request.body())).isEqualTo(Json.MAPPER.readTree("""
        {"model":"gpt-4o-mini","messages":[{"role":"system","content":"hi"}],"max_tokens":32,
         "metadata":{"tenant":"acme,beta"},"temperature":0.5,"extra":{"flags":[true,null],"n":1}}"""));
    assertThat(request.bodyChanged()).isTrue();
    assertThat(request.model()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void setsAResponseHeaderFromUsage() {
    Processor processor = compile(new InProcessSpec(null, headers(
        set("x-tokens", "string(response.usage.total) + '/' + string(response.usage['cached_input'])"),
        set("x-status", "string(response.status)"))));
    ProcessedRequest request = request(null);
    var response = new ProcessedResponse(200, new HeaderList());
    response.setUsage(new TokenUsage(10, 5, 15, 4, 0));
    var exchange = new ProcessingChain("chain", List.of(new ConfiguredProcessor("cel", FailureMode.FailClosed, null,
        processor))).start(Runnable::run, new ManualScheduler(), ProcessingObserver.NONE);

    var outcome = exchange.responseHeaders(request, response).toCompletableFuture().join();

    assertThat(outcome).isEqualTo(ChainOutcome.PROCEED);
    assertThat(response.headers().get("x-tokens")).isEqualTo("15/4");
    assertThat(response.headers().get("x-status")).isEqualTo("200");
    assertThat(processor.needs()).isEqualTo(new ProcessorNeeds(true, BodyMode.NONE, true, BodyMode.NONE, 0));
  }

  @Test
  void responseBodyFieldsApplyToABufferedJsonBodyAndSseEventsPassThrough() throws Exception {
    Processor processor = compile(new InProcessSpec(null, new Mutations(List.of(), List.of(),
        List.of(set("$.gateway.model", "k8s.llm.model")), List.of("$.system_fingerprint"))));
    var exchange = new ProcessingChain("chain", List.of(new ConfiguredProcessor("cel", FailureMode.FailClosed, null,
        processor))).start(Runnable::run, new ManualScheduler(), ProcessingObserver.NONE);
    ProcessedRequest request = request(BODY);
    var response = new ProcessedResponse(200, new HeaderList());
    byte[] body = "{\"id\":\"c1\",\"system_fingerprint\":\"fp\"}".getBytes(StandardCharsets.UTF_8);
    byte[] event = "data: {\"id\":\"c1\"}\n\n".getBytes(StandardCharsets.UTF_8);

    var buffered = exchange.responseChunk(request, response, new ResponseChunk(body, false, true)).toCompletableFuture().join();
    var sse = new ProcessingChain("chain", List.of(new ConfiguredProcessor("cel", FailureMode.FailClosed, null, processor)))
        .start(Runnable::run, new ManualScheduler(), ProcessingObserver.NONE)
        .responseChunk(request, response, new ResponseChunk(event, true, false)).toCompletableFuture().join();

    assertThat(processor.needs().responseBody()).isEqualTo(BodyMode.BUFFERED);
    assertThat(json(((ChunkOutcome.Write) buffered).chunks().getFirst()))
        .isEqualTo(Json.MAPPER.readTree("{\"id\":\"c1\",\"gateway\":{\"model\":\"gpt-4o\"}}"));
    assertThat(((ChunkOutcome.Write) sse).chunks()).containsExactly(event);
  }

  @Test
  void compileErrorsNameTheirFieldPaths() {
    CelProcessorFactory.Compilation compilation = FACTORY.compile(new InProcessSpec(
        new Mutations(
            List.of(set("x-ok", "'fine'"), set("x-bad", "request.nope +"), set("x-int", "1 + 2"), set("bad header", "'v'")),
            List.of("content-length"),
            List.of(set("$.a", "unknown_var"), set("a.b", "1")),
            List.of("$..x")),
        headers(set("x-resp", "response.status > 'a'"))));

    assertThat(compilation.ok()).isFalse();
    assertThat(compilation.processor()).isNull();
    assertThat(compilation.errors()).extracting(CelProcessorFactory.CompileError::fieldPath).containsExactly(
        "inProcess.request.setHeaders[1].value",
        "inProcess.request.setHeaders[2].value",
        "inProcess.request.setHeaders[3].target",
        "inProcess.request.removeHeaders[0]",
        "inProcess.request.setBodyFields[0].value",
        "inProcess.request.setBodyFields[1].target",
        "inProcess.request.removeBodyFields[0]",
        "inProcess.response.setHeaders[0].value");
    assertThat(compilation.errors().get(1).message()).contains("must be a string").contains("int");
    assertThat(compilation.errors().get(4).message()).isEqualTo("column 1: undeclared reference to 'unknown_var'");
  }

  @Test
  void requestExpressionsCannotReadTheResponse() {
    var errors = FACTORY.compile(new InProcessSpec(headers(set("x", "string(response.status)")), null)).errors();

    assertThat(errors).extracting(CelProcessorFactory.CompileError::fieldPath)
        .containsExactly("inProcess.request.setHeaders[0].value");
  }

  @Test
  void aNonStringHeaderValueIsARuntimeFailure() {
    Processor processor = compile(new InProcessSpec(headers(set("x-max", "json(request.body).max_tokens")), null));
    ProcessedRequest request = request(BODY);

    ChainOutcome outcome = runRequest(processor, FailureMode.FailClosed, request);

    assertThat(outcome).isEqualTo(new ChainOutcome.Fail(new GatewayError.ProcessorFailed("cel",
        "inProcess.request.setHeaders[0].value: a header value must be a string, not Long")));
    assertThat(request.headers().get("x-max")).isNull();
  }

  @Test
  void mutationsAreAllOrNothingSoFailOpenLeavesTheMessageUnchanged() {
    Processor processor = compile(new InProcessSpec(new Mutations(
        List.of(set("x-first", "'set'")), List.of("x-tenant"),
        List.of(set("$.ok", "true"), set("$.broken", "json(request.body).missing_field")), List.of()), null));
    ProcessedRequest request = request(BODY);

    ChainOutcome outcome = runRequest(processor, FailureMode.FailOpen, request);

    assertThat(outcome).isEqualTo(ChainOutcome.PROCEED);
    assertThat(observer.events).containsExactly("cel:REQUEST_HEADERS:CONTINUED", "cel:REQUEST_BODY:FAILED_OPEN");
    assertThat(request.headers().get("x-first")).isNull();
    assertThat(request.headers().get("x-tenant")).isEqualTo("acme");
    assertThat(request.bodyChanged()).isFalse();
  }

  @Test
  void aPathThatMeetsTheWrongKindFailsWithoutChangingTheBody() {
    Processor processor = compile(new InProcessSpec(new Mutations(List.of(), List.of(),
        List.of(set("$.added", "1"), set("$.model.inner", "2")), List.of()), null));
    ProcessedRequest request = request(BODY);

    ChainOutcome outcome = runRequest(processor, FailureMode.FailClosed, request);

    assertThat(outcome).isEqualTo(new ChainOutcome.Fail(new GatewayError.ProcessorFailed("cel",
        "inProcess.request.setBodyFields[1].target: $.model.inner: $['model'] is not an object")));
    assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo(BODY);
  }

  @Test
  void theIterationBudgetStopsAnExpensiveExpression() {
    String list = "[" + "1,".repeat(99) + "1]";
    Processor processor = compile(new InProcessSpec(headers(
        set("x-cost", "string(" + list + ".map(x, " + list + ".map(y, " + list + ".map(z, x + y + z))).size())")), null));

    ChainOutcome outcome = runRequest(processor, FailureMode.FailClosed, request(null));

    assertThat(outcome).isEqualTo(new ChainOutcome.Fail(new GatewayError.ProcessorFailed("cel",
        "inProcess.request.setHeaders[0].value: evaluation failed (iteration_budget_exceeded)")));
  }

  @Test
  void anOverlongExpressionIsACompileError() {
    var small = new CelProcessorFactory(new CelProcessorFactory.Limits(100, 20, 1_000_000, 1_000_000, 1_000));

    var errors = small.compile(new InProcessSpec(headers(set("x", "'" + "a".repeat(40) + "'")), null)).errors();

    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.fieldPath()).isEqualTo("inProcess.request.setHeaders[0].value");
      assertThat(e.message()).containsIgnoringCase("size");
    });
  }

  @Test
  void aHeaderValueWithAnotherControlCharacterIsRejected() {
    Processor processor = compile(new InProcessSpec(headers(set("x-model", "json(request.body).model")), null));
    ProcessedRequest request = request("{\"model\":\"a\\u000bb\"}");

    ChainOutcome outcome = runRequest(processor, FailureMode.FailClosed, request);

    assertThat(outcome).isEqualTo(new ChainOutcome.Fail(new GatewayError.ProcessorFailed("cel",
        "inProcess.request.setHeaders[0].value: a header value must not contain line breaks or control characters")));
    assertThat(request.headers().get("x-model")).isNull();
  }

  @Test
  void aHeaderValueWithALineBreakIsRejected() {
    Processor processor = compile(new InProcessSpec(headers(set("x-inject", "'a\\r\\nx-evil: 1'")), null));
    ProcessedRequest request = request(null);

    ChainOutcome outcome = runRequest(processor, FailureMode.FailClosed, request);

    assertThat(outcome).isInstanceOf(ChainOutcome.Fail.class);
    assertThat(request.headers().get("x-inject")).isNull();
  }

  private static final String HUNDRED = "[" + "1,".repeat(99) + "1]";

  private static ProcessedRequest request(String body, Workers workers) {
    var context = new ExchangeContext("r1", ApiEndpoint.PASSTHROUGH, workers);
    return new ProcessedRequest(context, "POST", "/v1/chat/completions", HeaderList.of("Content-Type", "application/json"),
        body.getBytes(StandardCharsets.UTF_8), "gpt-4o");
  }

  private static String bigBody(int contentLength) {
    return "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(contentLength)
        + "\"}]}";
  }

  @Test
  void theCostBudgetStopsALoopThatScansALargeBodyOverAndOver() {
    // 100 iterations (well inside the iteration budget) each scanning a 1 MB body: 100 MB of work.
    Processor processor = compile(new InProcessSpec(headers(
        set("x-hits", "string(" + HUNDRED + ".filter(x, request.body.contains('zz')).size())")), null));

    ChainOutcome outcome = runRequest(processor, FailureMode.FailClosed, request(bigBody(1_000_000)));

    assertThat(outcome).isEqualTo(new ChainOutcome.Fail(new GatewayError.ProcessorFailed("cel",
        "inProcess.request.setHeaders[0].value: cost limit exceeded (50000000 units)")));
  }

  @Test
  void theCostBudgetStopsRepeatedDoublingWithoutAnyLoop() {
    var small = new CelProcessorFactory(new CelProcessorFactory.Limits(10_000, 4_096, 1_000_000, 8_000_000, 16_384));
    String doubling = "request.body" + " + request.body".repeat(40);
    Processor processor = small.compile(new InProcessSpec(headers(set("x-big", "string(size(" + doubling + "))")), null))
        .processor();

    ChainOutcome outcome = runRequest(processor, FailureMode.FailClosed, request(bigBody(100_000)));

    assertThat(outcome).isEqualTo(new ChainOutcome.Fail(new GatewayError.ProcessorFailed("cel",
        "inProcess.request.setHeaders[0].value: cost limit exceeded (1000000 units)")));
  }

  @Test
  void aBodyFieldValueLargerThanTheCapIsRefusedAndTheBodyIsUnchanged() {
    // A list repeating the body is cheap in memory (one string, many references) but 100x its size as JSON.
    Processor processor = compile(new InProcessSpec(new Mutations(List.of(), List.of(),
        List.of(set("$.copies", HUNDRED + ".map(x, request.body)")), List.of()), null));
    String body = bigBody(100_000);
    ProcessedRequest request = request(body);

    ChainOutcome outcome = runRequest(processor, FailureMode.FailClosed, request);

    assertThat(outcome).isEqualTo(new ChainOutcome.Fail(new GatewayError.ProcessorFailed("cel",
        "inProcess.request.setBodyFields[0].value: the value is larger than 8388608 bytes")));
    assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo(body);
  }

  @Test
  void aHeaderValueOverTheLengthCapIsRefused() {
    Processor processor = compile(new InProcessSpec(headers(set("x-echo", "request.body")), null));

    ChainOutcome outcome = runRequest(processor, FailureMode.FailClosed, request(bigBody(20_000)));

    assertThat(outcome).isEqualTo(new ChainOutcome.Fail(new GatewayError.ProcessorFailed("cel",
        "inProcess.request.setHeaders[0].value: a header value must be at most 16384 characters")));
  }

  @Test
  void aLoopRunsOnTheWorkerPoolAndItsEditIsAppliedWhenTheChainResumes() {
    Processor processor = compile(new InProcessSpec(headers(
        set("x-roles", "string(json(request.body).messages.map(m, m.role).size())")), null));
    var workers = new ManualWorkers(4);
    ProcessedRequest request = request(BODY, workers);
    var chain = new ProcessingChain("chain", List.of(new ConfiguredProcessor("cel", FailureMode.FailClosed, null, processor)));

    var outcome = chain.start(Runnable::run, new ManualScheduler(), observer).request(request).toCompletableFuture();

    assertThat(outcome).isNotDone();
    assertThat(workers.queued()).isEqualTo(1);
    assertThat(request.headers().get("x-roles")).isNull();
    workers.runAll();
    assertThat(outcome.join()).isEqualTo(ChainOutcome.PROCEED);
    assertThat(request.headers().get("x-roles")).isEqualTo("1");
  }

  @Test
  void aLargeBodyIsEvaluatedOnTheWorkerPoolEvenWithoutALoop() {
    Processor processor = compile(new InProcessSpec(headers(set("x-model", "json(request.body).model")), null));
    var workers = new ManualWorkers(4);
    ProcessedRequest request = request(bigBody(CelProcessor.INLINE_INPUT_BYTES), workers);
    var chain = new ProcessingChain("chain", List.of(new ConfiguredProcessor("cel", FailureMode.FailClosed, null, processor)));

    var outcome = chain.start(Runnable::run, new ManualScheduler(), observer).request(request).toCompletableFuture();

    assertThat(workers.queued()).isEqualTo(1);
    workers.runAll();
    assertThat(outcome.join()).isEqualTo(ChainOutcome.PROCEED);
    assertThat(request.headers().get("x-model")).isEqualTo("gpt-4o");
  }

  @Test
  void theTimeoutFiresWhileALoopRunsElsewhereAndTheLateResultNeverEditsTheMessage() {
    Processor processor = compile(new InProcessSpec(new Mutations(List.of(set("x-late", "'yes'")), List.of(),
        List.of(set("$.n", HUNDRED + ".map(x, x).size()")), List.of()), null));
    var workers = new ManualWorkers(4);
    var scheduler = new ManualScheduler();
    ProcessedRequest request = request(BODY, workers);
    var chain = new ProcessingChain("chain", List.of(
        new ConfiguredProcessor("cel", FailureMode.FailOpen, java.time.Duration.ofMillis(50), processor)));

    var outcome = chain.start(Runnable::run, scheduler, observer).request(request).toCompletableFuture();
    scheduler.advance(java.time.Duration.ofMillis(50));

    assertThat(outcome.join()).isEqualTo(ChainOutcome.PROCEED);
    assertThat(observer.events).containsExactly("cel:REQUEST_HEADERS:CONTINUED", "cel:REQUEST_BODY:TIMED_OUT_OPEN");
    workers.runAll();
    assertThat(request.headers().get("x-late")).isNull();
    assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo(BODY);
  }

  @Test
  void aTimedOutStageIsFailClosedWith504() {
    Processor processor = compile(new InProcessSpec(headers(set("x-n", "string(" + HUNDRED + ".map(x, x).size())")), null));
    var scheduler = new ManualScheduler();
    var chain = new ProcessingChain("chain", List.of(
        new ConfiguredProcessor("cel", FailureMode.FailClosed, java.time.Duration.ofMillis(50), processor)));

    var outcome = chain.start(Runnable::run, scheduler, observer).request(request(BODY, new ManualWorkers(4)))
        .toCompletableFuture();
    scheduler.advance(java.time.Duration.ofMillis(50));

    assertThat(outcome.join()).isEqualTo(new ChainOutcome.Fail(new GatewayError.ProcessorTimeout("cel", 50)));
  }

  @Test
  void aSaturatedWorkerPoolIsAProcessorFailure() {
    Processor processor = compile(new InProcessSpec(headers(set("x-n", "string(" + HUNDRED + ".map(x, x).size())")), null));

    ChainOutcome outcome = runRequest(processor, FailureMode.FailClosed, request(BODY, new ManualWorkers(0)));

    assertThat(outcome).isEqualTo(new ChainOutcome.Fail(new GatewayError.ProcessorFailed("cel",
        "unexpected Saturated")));
  }

  @Test
  void anAbandonedEvaluationStopsAtItsNextStep() {
    boolean[] abandoned = {false};
    var budget = new EvaluationBudget(1_000, () -> abandoned[0]);
    budget.charge(10);
    abandoned[0] = true;

    assertThatThrownBy(() -> budget.charge(1)).isInstanceOf(EvaluationBudget.Exceeded.class)
        .hasMessage("abandoned after the processor's timeout");
  }
}
