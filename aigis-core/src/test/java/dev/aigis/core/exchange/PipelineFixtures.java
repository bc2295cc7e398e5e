package dev.aigis.core.exchange;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.processing.ConfiguredProcessor;
import dev.aigis.core.processing.FailureMode;
import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.routing.RequestHead;
import dev.aigis.core.routing.RouteMatchResult;
import dev.aigis.core.routing.Router;
import dev.aigis.core.routing.WeightedBackend;
import dev.aigis.model.AIBackend;
import dev.aigis.model.Gateway;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.SourceRef;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.gateway.Listener;
import dev.aigis.model.route.BackendRef;
import dev.aigis.model.route.ParentRef;
import dev.aigis.model.route.RouteFilter;
import dev.aigis.model.route.RouteMatch;
import dev.aigis.model.route.RouteRule;
import dev.aigis.model.snapshot.BoundListener;
import dev.aigis.model.snapshot.ResolvedBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builders for pipeline tests: routes as model records (as {@code routing/Fixtures} builds them),
 * compiled by the real {@link Router}, and a routing barrier that does what the front doors do.
 */
final class PipelineFixtures {

  static final String GATEWAY = "gw";
  static final String BACKEND = "default/backend";

  private PipelineFixtures() {}

  static BoundListener listener() {
    Listener listener = new Listener("http", 8080, Listener.Protocol.HTTP, null, null);
    Gateway gateway = new Gateway(ObjectMeta.named(GATEWAY), SourceRef.EMBEDDED, "aigis", List.of(listener));
    return new BoundListener(gateway, listener, null);
  }

  static HttpRoute route(String name, RouteRule... rules) {
    ParentRef parent = new ParentRef(null, null, GATEWAY, ObjectMeta.DEFAULT_NAMESPACE, null, null);
    return new HttpRoute(ObjectMeta.named(name), SourceRef.EMBEDDED, List.of(parent), List.of(), List.of(rules));
  }

  /** A rule matching {@code PathPrefix prefix} (and the headers, name/value pairs) with these filters, to one backend. */
  static RouteRule rule(String prefix, List<RouteFilter> filters, String... headers) {
    List<RouteMatch.HeaderMatch> matches = new java.util.ArrayList<>();
    for (int i = 0; i < headers.length; i += 2) {
      matches.add(new RouteMatch.HeaderMatch(RouteMatch.MatchType.Exact, headers[i], headers[i + 1]));
    }
    RouteMatch match = new RouteMatch(new RouteMatch.PathMatch(RouteMatch.MatchType.PathPrefix, prefix), matches,
        List.of(), null);
    BackendRef ref = new BackendRef(BackendRef.AIGIS_GROUP, BackendRef.AIBACKEND_KIND, "backend", null, null, 1);
    return new RouteRule(null, List.of(match), filters, List.of(ref), null);
  }

  static ResolvedBackend backend() {
    AIBackend backend = new AIBackend(ObjectMeta.named("backend"), SourceRef.EMBEDDED, ApiSchema.OpenAI,
        new BackendEndpoint.Url(false, "127.0.0.1", 8000, ""), null, null, false, null);
    return new ResolvedBackend(backend, null, null);
  }

  static Router router(HttpRoute... routes) {
    return Router.compile(listener(), List.of(routes), Map.of(BACKEND, backend()));
  }

  /** The match a request on {@code path} with these headers gets; fails when none. */
  static RouteMatchResult match(Router router, String path, String... headers) {
    return router.match(new RequestHead("POST", "example.com", path, null, HeaderList.of(headers))).orElseThrow();
  }

  static ExchangeContext context() {
    return new ExchangeContext("req-1", ApiEndpoint.CHAT_COMPLETIONS, null);
  }

  static ProcessedRequest chatRequest(ExchangeContext context, String model, String... headers) {
    String body = model == null ? "{\"messages\":[]}" : "{\"model\":\"" + model + "\",\"messages\":[]}";
    return new ProcessedRequest(context, "POST", "/v1/chat/completions", HeaderList.of(headers),
        body.getBytes(StandardCharsets.UTF_8), model);
  }

  static ProcessingChain chain(String name, String processor, Processor p) {
    return new ProcessingChain(name, List.of(new ConfiguredProcessor(processor, FailureMode.FailClosed,
        Duration.ofSeconds(1), p)));
  }

  /**
   * The front door's barrier: matches the request as PreRouting left it (path, headers), picks
   * the backend and records both on the context; 404 when nothing matches. Counts its calls.
   */
  static final class Barrier implements RoutingBarrier {
    final Router router;
    final ExchangeContext context;
    final AtomicInteger calls = new AtomicInteger();
    final List<String> trace;

    Barrier(Router router, ExchangeContext context, List<String> trace) {
      this.router = router;
      this.context = context;
      this.trace = trace;
    }

    @Override
    public GatewayError route(ProcessedRequest request) {
      calls.incrementAndGet();
      trace.add("barrier");
      Optional<RouteMatchResult> matched = router.match(
          new RequestHead(request.method(), "example.com", request.path(), null, request.headers()));
      if (matched.isEmpty()) {
        return new GatewayError.RouteNotFound(request.method(), request.path());
      }
      WeightedBackend picked = matched.get().backends().pick(new SplittableRandom(7)).orElseThrow();
      context.routed(matched.get(), picked, request.headers().get("X-Gateway-Model-Name"));
      return null;
    }
  }
}
