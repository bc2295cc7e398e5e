package dev.aigis.core.guard.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.api.text.ResponseText;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.guard.StreamTextFilter;
import dev.aigis.core.embedding.Embedder;
import dev.aigis.core.guard.TextScorer;
import dev.aigis.core.guard.anomaly.AnomalyDetector;
import dev.aigis.core.guard.anomaly.AnomalyVerdict;
import dev.aigis.core.guard.pii.PiiRedactor;
import dev.aigis.core.guard.pii.Redaction;
import dev.aigis.core.policy.PolicyAttributes;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ChunkVerdict;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorException;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.ResponseChunk;
import dev.aigis.core.processing.Verdict;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * {@code type: Guardrail}: prompt-injection detection, PII redaction, harmful-output filtering and
 * per-caller anomaly detection as one processor on the exchange pipeline, so the same guards hold
 * for every client API and backend, plain and streamed, in the data plane and behind the ext_proc
 * server. Request-side guards read the pivot (OpenAI chat form) of the request; response-side
 * guards read and rewrite the answer's text in the client's own format through {@link ResponseText}.
 * Detection runs on the exchange's worker pool (embeddings and classifiers are CPU work); a full
 * pool fails the stage, and the entry's failure mode decides.
 */
public final class GuardrailProcessor implements Processor {

  private static final System.Logger LOG = System.getLogger(GuardrailProcessor.class.getName());
  private static final byte[] NOTHING = new byte[0];
  /** As the data plane's cap on answers processors read whole. */
  private static final int MAX_WHOLE_ANSWER = 8 * 1024 * 1024;

  /** Prompt injection: a detector over each selected message text, and what to do on a hit. */
  public record InjectionGuard(TextScorer detector, GuardAction action) {}

  /** PII: the policy's redactor (whole texts, and a fresh streaming redactor per answer) and where it applies. */
  public record PiiGuard(PiiRedactor redactor, boolean request, boolean response) {}

  /** Harmful output: a detector over a whole answer and a fresh stream monitor per streamed one. */
  public record OutputGuard(TextScorer detector, Supplier<StreamTextFilter> streaming, GuardAction action) {}

  /**
   * Anomaly detection; {@code embedder} is null when the distance baseline is off. {@code throttle}
   * refuses anomalous requests with a 429, else {@code action} applies.
   */
  public record AnomalyGuard(AnomalyDetector detector, Embedder embedder, boolean throttle, GuardAction action) {}

  private final String policy;
  private final MessageScope scope;
  private final InjectionGuard injection;
  private final PiiGuard pii;
  private final OutputGuard output;
  private final AnomalyGuard anomaly;
  private final GuardObserver observer;
  private final ProcessorNeeds needs;

  /**
   * @param policy what block messages and metrics call this processor ({@code namespace/name/entry})
   * @param injection null when off; likewise the other guards
   */
  public GuardrailProcessor(String policy, MessageScope scope, InjectionGuard injection, PiiGuard pii,
      OutputGuard output, AnomalyGuard anomaly, GuardObserver observer) {
    this.policy = policy;
    this.scope = scope;
    this.injection = injection;
    this.pii = pii;
    this.output = output;
    this.anomaly = anomaly;
    this.observer = observer;
    boolean requestSide = injection != null || (pii != null && pii.request()) || anomaly != null;
    boolean responseSide = output != null || (pii != null && pii.response());
    // BUFFERED: a plain answer arrives whole (its JSON can be read), a stream event by event. The
    // hold-back bound is in events; deltas can be one character, so it is generous.
    this.needs = new ProcessorNeeds(true, requestSide ? BodyMode.BUFFERED : BodyMode.NONE, true,
        responseSide ? BodyMode.BUFFERED : BodyMode.NONE, responseSide ? 4096 : 0);
  }

  @Override
  public ProcessorNeeds needs() {
    return needs;
  }

  /** Per exchange: the findings (shared with the access log and audit) and the stream's filters. */
  static final class State implements ExchangeState {
    GuardFindings findings = new GuardFindings();
    StreamGuard stream;
    /** The pieces of a plain answer that arrived in more than one chunk. */
    ByteArrayOutputStream pieces;

    @Override
    public void close() {}
  }

  @Override
  public ExchangeState newState() {
    return new State();
  }

  @Override
  public CompletionStage<Verdict> onRequestHeaders(ProcessedRequest request, ExchangeState exchangeState) {
    State state = (State) exchangeState;
    ExchangeContext context = request.context();
    if (context != null) {
      GuardFindings existing = context.attributes().get(GuardAttributes.FINDINGS);
      if (existing == null) {
        context.attributes().put(GuardAttributes.FINDINGS, state.findings);
      } else {
        state.findings = existing; // a second Guardrail processor adds to the same record
      }
    }
    return CompletableFuture.completedFuture(Verdict.CONTINUE);
  }

  // ---------------------------------------------------------------- request

  /** What the request-side guards concluded, computed on a worker. */
  private record RequestFindings(TextScorer.Scored injection, List<Redaction> redactions,
      AnomalyVerdict anomaly) {}

  @Override
  public CompletionStage<Verdict> onRequestBody(ProcessedRequest request, ExchangeState exchangeState) {
    State state = (State) exchangeState;
    ExchangeContext context = request.context();
    if (context == null || needs.requestBody() == BodyMode.NONE) {
      return CompletableFuture.completedFuture(Verdict.CONTINUE);
    }
    ObjectNode pivot = context.pivot().requestOrNull();
    if (pivot == null) {
      return CompletableFuture.completedFuture(Verdict.CONTINUE); // no chat form (embeddings, files ...)
    }
    List<RequestTexts.Slot> slots = RequestTexts.select(pivot, scope);
    List<String> texts = slots.stream().map(RequestTexts.Slot::text).toList();
    String caller = PolicyAttributes.caller(context);
    if (anomaly != null) {
      context.onComplete(summary -> {
        if (summary.usage() != null) {
          anomaly.detector().observeUsage(caller, summary.usage().total());
        }
      });
    }
    return run(context, () -> inspect(texts, caller))
        .thenApply(found -> decide(found, slots, context, state.findings));
  }

  private RequestFindings inspect(List<String> texts, String caller) {
    TextScorer.Scored injected = null;
    if (injection != null) {
      for (String text : texts) {
        if (text.isBlank()) {
          continue;
        }
        TextScorer.Scored scored = injection.detector().score(text);
        if (injected == null || scored.score() > injected.score()) {
          injected = scored;
        }
        if (scored.flagged()) {
          break;
        }
      }
    }
    List<Redaction> redactions = null;
    if (pii != null && pii.request()) {
      redactions = new ArrayList<>(texts.size());
      for (String text : texts) {
        redactions.add(pii.redactor().apply(text));
      }
    }
    AnomalyVerdict unusual = null;
    if (anomaly != null) {
      String prompt = texts.isEmpty() ? "" : texts.getLast();
      float[] topic = anomaly.embedder() == null || prompt.isBlank() ? null : anomaly.embedder().embed(prompt);
      unusual = anomaly.detector().observeRequest(caller, prompt.length(), topic);
    }
    return new RequestFindings(injected, redactions, unusual);
  }

  private Verdict decide(RequestFindings found, List<RequestTexts.Slot> slots, ExchangeContext context,
      GuardFindings findings) {
    if (found.injection() != null) {
      if (found.injection().flagged()) {
        if (act("injection", injection.action(), found.injection().signals(), context, findings)) {
          return new Verdict.Refuse(new GatewayError.GuardrailBlocked(policy, false));
        }
      } else {
        observer.decided(policy, "injection", "passed");
      }
    }
    boolean redacted = false;
    if (found.redactions() != null) {
      List<String> entities = new ArrayList<>();
      boolean blocked = false;
      for (int i = 0; i < slots.size(); i++) {
        Redaction r = found.redactions().get(i);
        r.found().forEach(match -> entities.add(match.entity().name()));
        blocked |= r.blocked();
        redacted |= !r.text().equals(slots.get(i).text());
      }
      if (blocked) {
        record(findings, context, "pii", "blocked", distinct(entities));
        return new Verdict.Refuse(new GatewayError.GuardrailBlocked(policy, false));
      }
      if (!entities.isEmpty()) {
        record(findings, context, "pii", "redacted", distinct(entities));
      } else {
        observer.decided(policy, "pii", "passed");
      }
    }
    if (found.anomaly() != null) {
      if (found.anomaly().anomalous()) {
        if (anomaly.throttle()) {
          record(findings, context, "anomaly", "throttled", found.anomaly().signals());
          return new Verdict.Refuse(new GatewayError.GuardrailThrottled(policy));
        }
        act("anomaly", anomaly.action(), found.anomaly().signals(), context, findings);
      } else {
        observer.decided(policy, "anomaly", "passed");
      }
    }
    if (!redacted) {
      return Verdict.CONTINUE;
    }
    List<Redaction> redactions = found.redactions();
    // Edits go through the chain so they land on the exchange's thread, and only if the stage
    // finished in time.
    return new Verdict.EditThenContinue(() -> {
      for (int i = 0; i < slots.size(); i++) {
        slots.get(i).replace(redactions.get(i).text());
      }
      context.pivot().edited();
    });
  }

  /** Records a fired guard by its action; true when the action is to block. */
  private boolean act(String guard, GuardAction action, List<String> signals, ExchangeContext context,
      GuardFindings findings) {
    String decision = switch (action) {
      case BLOCK -> "blocked";
      case FLAG -> "flagged";
      case LOG -> "logged";
    };
    record(findings, context, guard, decision, signals);
    return action == GuardAction.BLOCK;
  }

  private void record(GuardFindings findings, ExchangeContext context, String guard, String decision,
      List<String> signals) {
    findings.add(new GuardFinding(guard, decision, signals));
    observer.decided(policy, guard, decision);
    LOG.log(System.Logger.Level.INFO, "guardrail {0}: {1} {2} {3} (request {4})", policy, guard, decision, signals,
        context == null ? "-" : context.requestId());
  }

  // ---------------------------------------------------------------- response

  @Override
  public CompletionStage<Verdict> onResponseHeaders(ProcessedRequest request, ProcessedResponse response,
      ExchangeState exchangeState) {
    flagHeader(response, (State) exchangeState);
    return CompletableFuture.completedFuture(Verdict.CONTINUE);
  }

  private static void flagHeader(ProcessedResponse response, State state) {
    var flagged = state.findings.flagged();
    if (!flagged.isEmpty()) {
      response.headers().set(GuardAttributes.FLAG_HEADER, String.join(",", flagged));
    }
  }

  @Override
  public CompletionStage<ChunkVerdict> onResponseChunk(ProcessedRequest request, ProcessedResponse response,
      ResponseChunk chunk, ExchangeState exchangeState) {
    State state = (State) exchangeState;
    boolean responseSide = output != null || (pii != null && pii.response());
    if (!responseSide || response.status() / 100 != 2 || request.context() == null) {
      return CompletableFuture.completedFuture(ChunkVerdict.pass(chunk));
    }
    ExchangeContext context = request.context();
    if (chunk.sseEvent()) {
      if (state.stream == null) {
        state.stream = new StreamGuard(ResponseText.of(context.endpoint()),
            pii != null && pii.response() ? pii.redactor().streaming() : null,
            output == null ? null : output.streaming().get(),
            pii != null && pii.response() ? text -> pii.redactor().apply(text).text() : null);
      }
      StreamGuard stream = state.stream;
      Callable<ChunkVerdict> step = () -> streamStep(stream, chunk, context, state.findings);
      // Rules and the PII window are cheap; the output classifier is not.
      return output == null ? inline(step) : run(context, step);
    }
    ResponseText answer = ResponseText.of(context.endpoint());
    if (!answer.carriesText()) {
      return CompletableFuture.completedFuture(ChunkVerdict.pass(chunk));
    }
    // A plain answer is normally handed over whole; one that arrives in pieces is held and read
    // whole at its end, never passed on unread.
    if (!chunk.endOfStream() || state.pieces != null) {
      if (state.pieces == null) {
        state.pieces = new ByteArrayOutputStream();
      }
      state.pieces.writeBytes(chunk.bytes());
      if (state.pieces.size() > MAX_WHOLE_ANSWER) {
        return CompletableFuture.failedFuture(new ProcessorException("the answer exceeds the " + MAX_WHOLE_ANSWER
            + " bytes the guards read whole"));
      }
      if (!chunk.endOfStream()) {
        return CompletableFuture.completedFuture(new ChunkVerdict.Emit(List.of()));
      }
    }
    ResponseChunk whole = state.pieces == null ? chunk
        : new ResponseChunk(state.pieces.toByteArray(), false, true, chunk.pivot());
    state.pieces = null;
    if (whole.bytes().length == 0) {
      return CompletableFuture.completedFuture(ChunkVerdict.pass(whole));
    }
    return run(context, () -> wholeAnswer(answer, whole, response, context, state));
  }

  private ChunkVerdict streamStep(StreamGuard stream, ResponseChunk chunk, ExchangeContext context,
      GuardFindings findings) {
    List<byte[]> events = new ArrayList<>();
    String blocked = null;
    if (chunk.bytes().length > 0) {
      StreamGuard.Step step = stream.event(chunk.bytes());
      events.addAll(step.events());
      blocked = step.blocked();
    }
    if (blocked == null && chunk.endOfStream()) {
      StreamGuard.Step step = stream.end();
      events.addAll(step.events());
      blocked = step.blocked();
    }
    if (blocked != null) {
      String guard = blocked.startsWith("PII:") ? "pii" : "output";
      if (guard.equals("output") && output.action() != GuardAction.BLOCK) {
        // A Flag or Log output guard's monitor still stops at a hit; it reports, the stream goes on.
        act(guard, output.action(), List.of(blocked), context, findings);
        return emit(events, chunk.endOfStream());
      }
      record(findings, context, guard, "blocked", List.of(blocked));
      var out = new ByteArrayOutputStream();
      events.forEach(out::writeBytes);
      out.writeBytes(context.errors().streamEvent(new GatewayError.GuardrailBlocked(policy, true)));
      return new ChunkVerdict.End(out.toByteArray(), "guardrail " + guard);
    }
    return emit(events, chunk.endOfStream());
  }

  /**
   * At the end of the stream an empty emit would make the chain flush the events it counted as
   * held, in their original form: always emit something then.
   */
  private static ChunkVerdict emit(List<byte[]> events, boolean endOfStream) {
    if (events.isEmpty() && endOfStream) {
      return new ChunkVerdict.Emit(List.of(NOTHING));
    }
    return new ChunkVerdict.Emit(events);
  }

  private ChunkVerdict wholeAnswer(ResponseText answer, ResponseChunk chunk, ProcessedResponse response,
      ExchangeContext context, State state) {
    byte[] body = chunk.bytes();
    JsonNode tree = answer.parse(body);
    if (tree == null) {
      // A model answer the guards cannot read (not JSON, or a key twice) is not let through
      // unread: the entry's failure mode decides.
      throw new ProcessorException("the answer is not readable JSON; its text cannot be checked");
    }
    if (output != null) {
      String text = String.join("\n", answer.texts(tree));
      if (!text.isBlank()) {
        TextScorer.Scored scored = output.detector().score(text);
        if (scored.flagged()) {
          if (act("output", output.action(), scored.signals(), context, state.findings)) {
            GatewayError error = new GatewayError.GuardrailBlocked(policy, true);
            return new ChunkVerdict.End(context.errors().body(error), "guardrail output", error);
          }
          flagHeader(response, state); // the head of a whole answer is not written yet
        } else {
          observer.decided(policy, "output", "passed");
        }
      }
    }
    if (pii == null || !pii.response()) {
      return ChunkVerdict.pass(chunk);
    }
    List<String> entities = new ArrayList<>();
    boolean[] blocked = {false};
    byte[] rewritten = answer.rewrite(body, text -> {
      Redaction r = pii.redactor().apply(text);
      r.found().forEach(match -> entities.add(match.entity().name()));
      blocked[0] |= r.blocked();
      return r.text();
    });
    if (blocked[0]) {
      record(state.findings, context, "pii", "blocked", distinct(entities));
      GatewayError error = new GatewayError.GuardrailBlocked(policy, true);
      return new ChunkVerdict.End(context.errors().body(error), "guardrail pii", error);
    }
    if (entities.isEmpty()) {
      observer.decided(policy, "pii", "passed");
      return ChunkVerdict.pass(chunk);
    }
    record(state.findings, context, "pii", "redacted", distinct(entities));
    return new ChunkVerdict.Emit(List.of(rewritten));
  }

  // ---------------------------------------------------------------- helpers

  private static <T> CompletionStage<T> run(ExchangeContext context, Callable<T> task) {
    return context.workers() == null ? inline(task) : context.workers().submit(task);
  }

  private static <T> CompletionStage<T> inline(Callable<T> task) {
    try {
      return CompletableFuture.completedFuture(task.call());
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static List<String> distinct(List<String> values) {
    return values.stream().distinct().toList();
  }
}
