package dev.aigis.core.processing.cel;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.cel.runtime.CelRuntime;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

  record HeaderSet(String name, CelRuntime.Program program, String field) {}

  record BodySet(JsonPath path, CelRuntime.Program program, String field) {}

  record Side(List<HeaderSet> setHeaders, List<String> removeHeaders, List<BodySet> setBody, List<JsonPath> removeBody,
      boolean readsBody) {
    static final Side EMPTY = new Side(List.of(), List.of(), List.of(), List.of(), false);

    Side {
      setHeaders = List.copyOf(setHeaders);
      removeHeaders = List.copyOf(removeHeaders);
      setBody = List.copyOf(setBody);
      removeBody = List.copyOf(removeBody);
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

  private final Side request;
  private final Side response;
  private final boolean requestBodyNeeded;
  private final ProcessorNeeds needs;

  CelProcessor(Side request, Side response) {
    this.request = request;
    this.response = response;
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
    try {
      Bindings bindings = new Bindings(message, reply);
      String[] values = evaluateHeaders(response, bindings);
      applyHeaders(response, values, reply.headers());
      return CONTINUE;
    } catch (ProcessorException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<ChunkVerdict> onResponseChunk(ProcessedRequest message, ProcessedResponse reply,
      ResponseChunk chunk, ExchangeState state) {
    if (!response.touchesBody() || !chunk.endOfStream() || chunk.sseEvent() || chunk.bytes().length == 0) {
      return CompletableFuture.completedFuture(ChunkVerdict.pass(chunk));
    }
    try {
      Bindings bindings = new Bindings(message, reply);
      JsonNode[] values = evaluateBody(response, bindings);
      JsonNode tree;
      try {
        tree = Json.MAPPER.readTree(chunk.bytes());
      } catch (IOException e) {
        throw new ProcessorException("the response body is not JSON");
      }
      JsonNode changed = applyBody(response, values, tree, "response");
      return CompletableFuture.completedFuture(new ChunkVerdict.Emit(List.of(Json.MAPPER.writeValueAsBytes(changed))));
    } catch (ProcessorException e) {
      return CompletableFuture.failedFuture(e);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new ProcessorException("could not write the response body", e));
    }
  }

  private CompletionStage<Verdict> applyRequest(ProcessedRequest message) {
    try {
      Bindings bindings = new Bindings(message, null);
      String[] headerValues = evaluateHeaders(request, bindings);
      if (request.touchesBody() && message.hasBody()) {
        JsonNode[] bodyValues = evaluateBody(request, bindings);
        JsonNode changed = applyBody(request, bodyValues, message.json(), "request");
        message.setJson(changed);
        JsonNode model = changed.path("model");
        if (model.isTextual() && !model.textValue().equals(message.model())) {
          message.setModel(model.textValue());
        }
      }
      applyHeaders(request, headerValues, message.headers());
      return CONTINUE;
    } catch (ProcessorException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static String[] evaluateHeaders(Side side, Bindings bindings) {
    String[] values = new String[side.setHeaders().size()];
    for (int i = 0; i < values.length; i++) {
      HeaderSet set = side.setHeaders().get(i);
      Object value = evaluate(set.program(), bindings, set.field());
      if (!(value instanceof String text)) {
        throw new ProcessorException(set.field() + ": a header value must be a string, not "
            + (value == null ? "null" : value.getClass().getSimpleName()));
      }
      if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\0') >= 0) {
        throw new ProcessorException(set.field() + ": a header value must not contain line breaks");
      }
      values[i] = text;
    }
    return values;
  }

  private static JsonNode[] evaluateBody(Side side, Bindings bindings) {
    JsonNode[] values = new JsonNode[side.setBody().size()];
    for (int i = 0; i < values.length; i++) {
      BodySet set = side.setBody().get(i);
      Object value = evaluate(set.program(), bindings, set.field());
      try {
        values[i] = CelValues.toJson(value);
      } catch (IllegalArgumentException e) {
        throw new ProcessorException(set.field() + ": " + e.getMessage());
      }
    }
    return values;
  }

  private static Object evaluate(CelRuntime.Program program, Bindings bindings, String field) {
    try {
      return program.eval(bindings);
    } catch (CelEvaluationException e) {
      // CEL's message may quote payload (a missing key read from the body); the code is enough for clients.
      String code = e.getErrorCode() == null ? "error" : e.getErrorCode().name().toLowerCase(Locale.ROOT);
      throw new ProcessorException(field + ": evaluation failed (" + code + ")", e);
    } catch (RuntimeException e) {
      throw new ProcessorException(field + ": evaluation failed", e);
    }
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
