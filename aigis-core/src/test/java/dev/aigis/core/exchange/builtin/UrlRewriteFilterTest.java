package dev.aigis.core.exchange.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.routing.RouteMatchResult;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.SourceRef;
import dev.aigis.model.route.RouteFilter;
import dev.aigis.model.route.RouteFilter.PathModifier;
import dev.aigis.model.route.RouteMatch;
import dev.aigis.model.route.RouteRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class UrlRewriteFilterTest {

  private final ExchangeContext context = new ExchangeContext("req-1", ApiEndpoint.CHAT_COMPLETIONS, null);
  private final ProcessedRequest request = new ProcessedRequest(context, "POST", "/openai/chat/completions",
      HeaderList.of(), null, "gpt-4o");

  /** Routes the context through a rule that matched {@code PathPrefix prefix} and has this filter. */
  private void routedBy(String prefix, RouteFilter.UrlRewrite filter) {
    RouteMatch match = new RouteMatch(new RouteMatch.PathMatch(RouteMatch.MatchType.PathPrefix, prefix), null, null, null);
    RouteRule rule = new RouteRule(null, List.of(match), List.of(filter), List.of(), null);
    HttpRoute route = new HttpRoute(ObjectMeta.named("chat"), SourceRef.EMBEDDED, List.of(), List.of(), List.of(rule));
    context.routed(new RouteMatchResult(route, 0, rule, match, null), null, "gpt-4o");
  }

  private void run(RouteFilter.UrlRewrite filter) {
    new UrlRewriteFilter(filter).onRequestHeaders(request, null).toCompletableFuture().join();
  }

  @Test
  void rewritesThePathAndRecordsTheSameRewriteForTheUpstreamPath() {
    var filter = new RouteFilter.UrlRewrite(null, new PathModifier(PathModifier.Type.ReplacePrefixMatch, "/v1"));
    routedBy("/openai", filter);

    run(filter);

    assertThat(request.path()).isEqualTo("/v1/chat/completions");
    // A translated request's path is computed later by its adapter; the rewrite reaches it through the context.
    assertThat(context.upstreamPathRewrite().apply("/openai/messages")).isEqualTo("/v1/messages");
    assertThat(context.upstreamPathRewrite().apply("/v1beta/models")).as("outside the prefix").isEqualTo("/v1beta/models");
    assertThat(context.hostOverride()).isNull();
  }

  @Test
  void replaceFullPathReplacesEveryPath() {
    var filter = new RouteFilter.UrlRewrite(null, new PathModifier(PathModifier.Type.ReplaceFullPath, "/v1/chat/completions"));
    routedBy("/openai", filter);

    run(filter);

    assertThat(request.path()).isEqualTo("/v1/chat/completions");
    assertThat(context.upstreamPathRewrite().apply("/v1/messages")).isEqualTo("/v1/chat/completions");
  }

  @Test
  void aHostnameRewriteIsRecordedOnTheContext() {
    var filter = new RouteFilter.UrlRewrite("api.internal.example", null);
    routedBy("/openai", filter);

    run(filter);

    assertThat(context.hostOverride()).isEqualTo("api.internal.example");
    assertThat(request.path()).isEqualTo("/openai/chat/completions");
    assertThat(context.upstreamPathRewrite().apply("/openai/x")).isEqualTo("/openai/x");
  }
}
