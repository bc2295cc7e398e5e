package dev.aigis.core.processing.cel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.exchange.Workers;
import dev.aigis.core.json.Json;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ChunkVerdict;
import dev.aigis.core.processing.MutableHeaders;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorException;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.ResponseChunk;
import dev.aigis.core.processing.Verdict;
import dev.cel.runtime.CelEvaluationException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * An InProcess processor: header and JSON-body mutations whose values are CEL expressions.
 *
 * <p>All or nothing: every expression of a stage is evaluated (against the message as the stage
 * found it) before anything is changed, so a failing expression leaves the message untouched and
 * {@code FailOpen} really skips the processor. Order of application: body fields set, body fields
 * removed, headers set, headers removed.
 *
 * <p>Request side: the body is asked for (BUFFERED) when there are body mutations or an expression
 * reads {@code request.body} (found in the checked expression's references, request and response
 * expressions alike). Then everything runs in {@link #onRequestBody}; for a request without a body,
 * in {@link #onRequestHeaders}, with {@code request.body == ""} and body mutations skipped. A body
 * that is not a JSON object or array fails body mutations (a runtime error). A changed
 * {@code $.model} updates {@link ProcessedRequest#model()}.
 *
 * <p>Response side: header mutations run in {@link #onResponseHeaders}. Body mutations apply to a
 * buffered, non-streamed JSON response: the single end-of-stream chunk holding the whole body. SSE
 * events (and any chunk of a body that arrives in pieces) pass through unchanged.
 *
 * <p>Stateless and thread-safe; compiled programs are shared.
 */
final class CelProcessor implements Processor {

  record HeaderSet(String name, BudgetedProgram program, String field) {}

  record BodySet(JsonPath path, BudgetedProgram program, String field) {}

  /**
   * One direction's mutations.
   *
   * @param reads the variables its expressions read (primed before evaluation moves to a worker)
   * @param loops whether an expression has a comprehension: then it always runs on the worker pool
   */
  record Side(List<HeaderSet> setHeaders, List<String> removeHeaders, List<BodySet> setBody, List<JsonPath> removeBody,
      Set<String> reads, boolean loops) {
    static final Side EMPTY = new Side(List.of(), List.of(), List.of(), List.of(), Set.of(), false);

    Side {
      setHeaders = List.copyOf(setHeaders);
      removeHeaders = List.copyOf(removeHeaders);
      setBody = List.copyOf(setBody);
      removeBody = List.copyOf(removeBody);
      reads = Set.copyOf(reads);
    }

    boolean readsBody() {
      return reads.contains(CelDeclarations.REQUEST_BODY);
    }

    boolean touchesBody() {
      return !setBody.isEmpty() || !removeBody.isEmpty();
    }

    boolean touchesHeaders() {
      return !setHeaders.isEmpty() || !removeHeaders.isEmpty();
    }

    boolean isEmpty() {
      return !touchesBody() && !touchesHeaders();
    }
  }

  private static final CompletionStage<Verdict> CONTINUE = CompletableFuture.completedFuture(Verdict.CONTINUE);

  /** Inputs (a request body, a response body) above this are evaluated on the worker pool. */
  static final int INLINE_INPUT_BYTES = 64 * 1024;

  private final Side request;
  private final Side response;
  private final CelProcessorFactory.Limits limits;
  private final boolean requestBodyNeeded;
  private final ProcessorNeeds needs;

  CelProcessor(Side request, Side response, CelProcessorFactory.Limits limits) {
    this.request = request;
    this.response = response;
    this.limits = limits;
    this.requestBodyNeeded = request.touchesBody() || request.readsBody() || response.readsBody();
    this.needs = new ProcessorNeeds(true, requestBodyNeeded ? BodyMode.BUFFERED : BodyMode.NONE,
        !response.isEmpty(), response.touchesBody() ? BodyMode.BUFFERED : BodyMode.NONE, 0);
  }

  @Override
  public ProcessorNeeds needs() {
    return needs;
  }

  @Override
  public CompletionStage<Verdict> onRequestHeaders(ProcessedRequest message, ExchangeState state) {
    if (request.isEmpty() || (requestBodyNeeded && message.hasBody())) {
      return CONTINUE;
    }
    return applyRequest(message);
  }

  @Override
  public CompletionStage<Verdict> onRequestBody(ProcessedRequest message, ExchangeState state) {
    return request.isEmpty() ? CONTINUE : applyRequest(message);
  }

  @Override
  public CompletionStage<Verdict> onResponseHeaders(ProcessedRequest message, ProcessedResponse reply,
      ExchangeState state) {
    if (!response.touchesHeaders()) {
      return CONTINUE;
    }
    Bindings bindings = new Bindings(message, reply);
    Workers workers = workersFor(response, message, inputSize(message));
    if (workers == null) {
      try {
        applyHeaders(response, evaluateHeaders(response, bindings, budget(null)), reply.headers());
        return CONTINUE;
      } catch (ProcessorException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    bindings.prime(response.reads());
    return offload(workers, budget -> {
      String[] values = evaluateHeaders(response, bindings, budget);
      return new Verdict.EditThenContinue(() -> applyHeaders(response, values, reply.headers()));
    });
  }

  @Override
  public CompletionStage<ChunkVerdict> onResponseChunk(ProcessedRequest message, ProcessedResponse reply,
      ResponseChunk chunk, ExchangeState state) {
    if (!response.touchesBody() || !chunk.endOfStream() || chunk.sseEvent() || chunk.bytes().length == 0) {
      return CompletableFuture.completedFuture(ChunkVerdict.pass(chunk));
    }
    Bindings bindings = new Bindings(message, reply);
    Workers workers = workersFor(response, message, Math.max(inputSize(message), chunk.bytes().length));
    if (workers == null) {
      try {
        return CompletableFuture.completedFuture(rewriteResponseBody(bindings, chunk.bytes(), budget(null)));
      } catch (ProcessorException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    bindings.prime(response.reads());
    return offload(workers, budget -> rewriteResponseBody(bindings, chunk.bytes(), budget));
  }

  private ChunkVerdict rewriteResponseBody(Bindings bindings, byte[] body, EvaluationBudget budget) {
    JsonNode[] values = evaluateBody(response, bindings, budget);
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new ProcessorException("the response body is not JSON");
    }
    JsonNode changed = applyBody(response, values, tree, "response");
    try {
      return new ChunkVerdict.Emit(List.of(Json.MAPPER.writeValueAsBytes(changed)));
    } catch (IOException e) {
      throw new ProcessorException("could not write the response body", e);
    }
  }

  /**
   * Evaluates everything first and edits the message only after all of it succeeded. On the worker
   * pool the edit is handed back to the chain ({@link Verdict.EditThenContinue}), which applies it on
   * the exchange's thread, and never after the stage timed out.
   */
  private CompletionStage<Verdict> applyRequest(ProcessedRequest message) {
    Bindings bindings = new Bindings(message, null);
    boolean editsBody = request.touchesBody() && message.hasBody();
    Workers workers = workersFor(request, message, inputSize(message));
    if (workers == null) {
      try {
        evaluateRequest(message, bindings, editsBody ? message.json() : null, budget(null)).run();
        return CONTINUE;
      } catch (ProcessorException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    bindings.prime(request.reads());
    JsonNode body = editsBody ? message.json() : null;
    return offload(workers, budget -> new Verdict.EditThenContinue(evaluateRequest(message, bindings, body, budget)));
  }

  /** Evaluates the request side against {@code body} (null: no body edits); returns the edit to apply. */
  private Runnable evaluateRequest(ProcessedRequest message, Bindings bindings, JsonNode body,
      EvaluationBudget budget) {
    String[] headerValues = evaluateHeaders(request, bindings, budget);
    JsonNode changed = body == null ? null : applyBody(request, evaluateBody(request, bindings, budget), body, "request");
    return () -> {
      if (changed != null) {
        message.setJson(changed);
        JsonNode model = changed.path("model");
        if (model.isTextual() && !model.textValue().equals(message.model())) {
          message.setModel(model.textValue());
        }
      }
      applyHeaders(request, headerValues, message.headers());
    };
  }

  /** The worker pool when this evaluation belongs there (it loops, or its input is large), else null. */
  private static Workers workersFor(Side side, ProcessedRequest message, int inputBytes) {
    if (!side.loops() && inputBytes <= INLINE_INPUT_BYTES) {
      return null;
    }
    return message.context().workers();
  }

  private static int inputSize(ProcessedRequest message) {
    return message.hasBody() ? message.body().length : 0;
  }

  private EvaluationBudget budget(CompletableFuture<?> stage) {
    return stage == null ? EvaluationBudget.of(limits.maxEvaluationCost())
        : new EvaluationBudget(limits.maxEvaluationCost(), stage::isDone);
  }

  /**
   * Runs {@code work} on the worker pool. The stage it returns is what the chain waits for; when the
   * chain gives up on it (timeout), it cancels the stage and the budget stops the evaluation at its
   * next step. A saturated pool fails the stage at once.
   */
  private <T> CompletionStage<T> offload(Workers workers, Function<EvaluationBudget, T> work) {
    CompletableFuture<T> stage = new CompletableFuture<>();
    workers.submit(() -> {
      if (!stage.isDone()) {
        try {
          stage.complete(work.apply(budget(stage)));
        } catch (RuntimeException e) {
          stage.completeExceptionally(e);
        }
      }
      return null;
    }).whenComplete((ignored, refused) -> {
      if (refused != null) {
        stage.completeExceptionally(refused);
      }
    });
    return stage;
  }

  private String[] evaluateHeaders(Side side, Bindings bindings, EvaluationBudget budget) {
    String[] values = new String[side.setHeaders().size()];
    for (int i = 0; i < values.length; i++) {
      HeaderSet set = side.setHeaders().get(i);
      Object value = evaluate(set.program(), bindings, budget, set.field());
      if (!(value instanceof String text)) {
        throw new ProcessorException(set.field() + ": a header value must be a string, not "
            + (value == null ? "null" : value.getClass().getSimpleName()));
      }
      if (!isFieldValue(text)) {
        throw new ProcessorException(set.field() + ": a header value must not contain line breaks or control characters");
      }
      if (text.length() > limits.maxHeaderValueLength()) {
        throw new ProcessorException(set.field() + ": a header value must be at most "
            + limits.maxHeaderValueLength() + " characters");
      }
      values[i] = text;
    }
    return values;
  }

  /** RFC 9110 §5.5: visible characters, spaces and tabs; no other control character (Vert.x refuses them too). */
  private static boolean isFieldValue(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private JsonNode[] evaluateBody(Side side, Bindings bindings, EvaluationBudget budget) {
    JsonNode[] values = new JsonNode[side.setBody().size()];
    for (int i = 0; i < values.length; i++) {
      BodySet set = side.setBody().get(i);
      Object value = evaluate(set.program(), bindings, budget, set.field());
      try {
        values[i] = CelValues.toJson(value, limits.maxValueBytes());
      } catch (IllegalArgumentException e) {
        throw new ProcessorException(set.field() + ": " + e.getMessage());
      }
    }
    return values;
  }

  private static Object evaluate(BudgetedProgram program, Bindings bindings, EvaluationBudget budget, String field) {
    try {
      return program.eval(bindings, budget);
    } catch (CelEvaluationException e) {
      EvaluationBudget.Exceeded exceeded = exceeded(e);
      if (exceeded != null) {
        throw new ProcessorException(field + ": " + exceeded.getMessage(), e);
      }
      // CEL's message may quote payload (a missing key read from the body); the code is enough for clients.
      String code = e.getErrorCode() == null ? "error" : e.getErrorCode().name().toLowerCase(Locale.ROOT);
      throw new ProcessorException(field + ": evaluation failed (" + code + ")", e);
    } catch (EvaluationBudget.Exceeded e) {
      throw new ProcessorException(field + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      EvaluationBudget.Exceeded exceeded = exceeded(e);
      throw new ProcessorException(field + ": " + (exceeded != null ? exceeded.getMessage() : "evaluation failed"), e);
    }
  }

  /** The budget's stop, however deep cel-java wrapped it. */
  private static EvaluationBudget.Exceeded exceeded(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof EvaluationBudget.Exceeded exceeded) {
        return exceeded;
      }
    }
    return null;
  }

  /** Applies to a copy, so a path that fails half-way leaves the message as it was. */
  private static JsonNode applyBody(Side side, JsonNode[] values, JsonNode body, String what) {
    if (!body.isContainerNode()) {
      throw new ProcessorException("the " + what + " body is not a JSON object");
    }
    JsonNode copy = body.deepCopy();
    for (int i = 0; i < values.length; i++) {
      BodySet set = side.setBody().get(i);
      try {
        set.path().set(copy, values[i]);
      } catch (IllegalArgumentException e) {
        throw new ProcessorException(set.field().replace(".value", ".target") + ": " + e.getMessage());
      }
    }
    for (JsonPath path : side.removeBody()) {
      path.remove(copy);
    }
    return copy;
  }

  private static void applyHeaders(Side side, String[] values, MutableHeaders headers) {
    for (int i = 0; i < values.length; i++) {
      headers.set(side.setHeaders().get(i).name(), values[i]);
    }
    for (String name : side.removeHeaders()) {
      headers.remove(name);
    }
  }
}
