package dev.aigis.core.routing.semantic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.Verdict;
import dev.aigis.core.provider.TranslationException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code type: SemanticRoute}: before routing, classifies the request's text against the routes'
 * examples and writes the chosen target to the configured header (and, when asked, to the model the
 * backend receives), so HTTPRoute header matches send it there. The text is read from the pivot, so
 * every client API is routed alike; it is embedded on the shared embedding service and classified
 * on the exchange's worker pool. A saturated pool or embedding queue fails the stage and the
 * entry's failure mode decides ({@code FailOpen}: the request goes on unrouted).
 *
 * <p>{@code x-aigis-route-reason} tells the upstream and the client why: {@code route=billing;
 * confidence=0.91}, {@code default; route=billing; confidence=0.32 below 0.44},
 * {@code out_of_scope; confidence=0.78} or {@code default; no text to classify}.
 */
public final class SemanticRouteProcessor implements Processor {

  private static final ProcessorNeeds NEEDS = new ProcessorNeeds(true, BodyMode.BUFFERED, true, BodyMode.NONE, 0);

  /** How the processor's settings read. */
  public record Settings(String header, boolean rewriteModel, boolean allUserTurns) {}

  private final String policy;
  private final Supplier<SemanticRouter> router;
  private final Function<String, CompletionStage<float[]>> embed;
  private final Settings settings;
  private final RouteObserver observer;
  private final LongSupplier nanoTime;

  /**
   * @param policy what metrics call this processor ({@code namespace/name/entry})
   * @param router the built router; a validation runtime's builds it on first use (blocking, so it
   *     is only called on a worker)
   * @param embed the shared embedding service's {@code embed}
   */
  public SemanticRouteProcessor(String policy, Supplier<SemanticRouter> router, Function<String, CompletionStage<float[]>> embed,
      Settings settings, RouteObserver observer, LongSupplier nanoTime) {
    this.policy = policy;
    this.router = router;
    this.embed = embed;
    this.settings = settings;
    this.observer = observer;
    this.nanoTime = nanoTime;
  }

  @Override
  public ProcessorNeeds needs() {
    return NEEDS;
  }

  /** The decision, for the response's reason header. */
  static final class State implements ExchangeState {
    RouteDecision decision;

    @Override
    public void close() {}
  }

  @Override
  public ExchangeState newState() {
    return new State();
  }

  /** A client's own reason header must not reach the upstream as if the gateway had written it. */
  @Override
  public CompletionStage<Verdict> onRequestHeaders(ProcessedRequest request, ExchangeState state) {
    if (request.headers().get(RouteAttributes.REASON_HEADER) != null) {
      request.headers().remove(RouteAttributes.REASON_HEADER);
    }
    return CompletableFuture.completedFuture(Verdict.CONTINUE);
  }

  @Override
  public CompletionStage<Verdict> onRequestBody(ProcessedRequest request, ExchangeState exchangeState) {
    State state = (State) exchangeState;
    ExchangeContext context = request.context();
    ObjectNode pivot = context.pivot().requestOrNull();
    if (pivot == null) {
      return CompletableFuture.completedFuture(Verdict.CONTINUE); // no chat form (embeddings, files ...): nothing to route
    }
    String text = settings.allUserTurns() ? dev.aigis.core.exchange.PivotTexts.userTurns(pivot)
        : dev.aigis.core.exchange.PivotTexts.lastUser(pivot);
    if (text.isBlank()) {
      return onWorker(context, () -> router.get().noText()).thenApply(decision -> decided(decision, request, state, 0));
    }
    long start = nanoTime.getAsLong();
    return embed.apply(text)
        .thenCompose(vector -> onWorker(context, () -> router.get().decide(vector)))
        .thenApply(decision -> decided(decision, request, state, nanoTime.getAsLong() - start));
  }

  private static <T> CompletionStage<T> onWorker(ExchangeContext context, Callable<T> task) {
    if (context.workers() != null) {
      return context.workers().submit(task);
    }
    try {
      return CompletableFuture.completedFuture(task.call());
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Verdict decided(RouteDecision decision, ProcessedRequest request, State state, long nanos) {
    if (nanos > 0) {
      observer.classified(policy, nanos);
    }
    observer.decided(policy, decision.metricRoute(), decision.confidenceBucket());
    // Applied by the chain on the exchange's thread, and only if the stage finished in time.
    return new Verdict.EditThenContinue(() -> apply(decision, request, state));
  }

  private void apply(RouteDecision decision, ProcessedRequest request, State state) {
    state.decision = decision;
    ExchangeContext context = request.context();
    context.attributes().put(RouteAttributes.DECISION, decision);
    request.headers().set(RouteAttributes.REASON_HEADER, decision.reason());
    String target = decision.target();
    if (target == null) {
      return;
    }
    request.headers().set(settings.header(), target);
    if (settings.rewriteModel()) {
      try {
        ObjectNode pivot = context.pivot().request();
        pivot.put("model", target);
        context.pivot().edited();
        request.setModel(target);
      } catch (TranslationException e) {
        throw new IllegalStateException("the pivot was read before", e);
      }
    }
  }

  @Override
  public CompletionStage<Verdict> onResponseHeaders(ProcessedRequest request, ProcessedResponse response,
      ExchangeState exchangeState) {
    RouteDecision decision = ((State) exchangeState).decision;
    if (decision != null) {
      response.headers().set(RouteAttributes.REASON_HEADER, decision.reason());
    }
    return CompletableFuture.completedFuture(Verdict.CONTINUE);
  }
}
