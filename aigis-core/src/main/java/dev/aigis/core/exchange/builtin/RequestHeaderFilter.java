package dev.aigis.core.exchange.builtin;

import dev.aigis.core.processing.ExchangeStates;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.Verdict;
import dev.aigis.model.route.RouteFilter;
import java.util.concurrent.CompletionStage;

/** The HTTPRoute {@code RequestHeaderModifier} filter: edits the headers every backend adapter forwards. */
public record RequestHeaderFilter(RouteFilter.HeaderModifier modifier) implements Processor {

  @Override
  public ProcessorNeeds needs() {
    return ProcessorNeeds.REQUEST_HEADERS_ONLY;
  }

  @Override
  public CompletionStage<Verdict> onRequestHeaders(ProcessedRequest request, ExchangeState state) {
    HeaderModifiers.apply(modifier, request.headers());
    return ExchangeStates.CONTINUE;
  }
}
