package dev.aigis.core.exchange.builtin;

import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ExchangeStates;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.Verdict;
import dev.aigis.model.route.RouteFilter;
import java.util.concurrent.CompletionStage;

/** The HTTPRoute {@code ResponseHeaderModifier} filter, on the response head whoever produced it. */
public record ResponseHeaderFilter(RouteFilter.HeaderModifier modifier) implements Processor {

  private static final ProcessorNeeds NEEDS = new ProcessorNeeds(false, BodyMode.NONE, true, BodyMode.NONE, 0);

  @Override
  public ProcessorNeeds needs() {
    return NEEDS;
  }

  @Override
  public CompletionStage<Verdict> onResponseHeaders(ProcessedRequest request, ProcessedResponse response,
      ExchangeState state) {
    HeaderModifiers.apply(modifier, response.headers());
    return ExchangeStates.CONTINUE;
  }
}
