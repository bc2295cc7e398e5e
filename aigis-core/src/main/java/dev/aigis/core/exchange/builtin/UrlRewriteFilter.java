package dev.aigis.core.exchange.builtin;

import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.processing.ExchangeStates;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.Verdict;
import dev.aigis.model.route.RouteFilter;
import dev.aigis.model.route.RouteMatch;
import java.util.concurrent.CompletionStage;

/**
 * The HTTPRoute {@code URLRewrite} filter. The request path is rewritten for native backends; the
 * same rewrite is recorded on the context for adapters that compute their own backend path (a
 * translated request's {@code /v1/chat/completions}), so the route's rewrite reaches every backend.
 */
public record UrlRewriteFilter(RouteFilter.UrlRewrite rewrite) implements Processor {

  @Override
  public ProcessorNeeds needs() {
    return ProcessorNeeds.REQUEST_HEADERS_ONLY;
  }

  @Override
  public CompletionStage<Verdict> onRequestHeaders(ProcessedRequest request, ExchangeState state) {
    ExchangeContext context = request.context();
    if (rewrite.hostname() != null) {
      context.overrideHost(rewrite.hostname());
    }
    RouteFilter.PathModifier path = rewrite.path();
    if (path != null && context.route() != null) {
      RouteMatch match = context.route().match();
      request.setPath(PathRewrite.apply(path, match, request.path()));
      context.rewriteUpstreamPath(p -> PathRewrite.apply(path, match, p));
    }
    return ExchangeStates.CONTINUE;
  }
}
