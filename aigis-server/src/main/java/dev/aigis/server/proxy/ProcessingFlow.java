package dev.aigis.server.proxy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.openai.OpenAiRequestInspector;
import dev.aigis.core.openai.RequestRejected;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.routing.RequestHead;
import dev.aigis.core.routing.RouteMatchResult;
import dev.aigis.core.routing.WeightedBackend;
import dev.aigis.model.route.RouteFilter;
import dev.aigis.server.processing.CompiledProcessing;
import dev.aigis.server.processing.VertxMutableHeaders;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The request path when PayloadProcessors are configured: the built-in model-header step, the
 * Gateway's PreRouting chain, route matching (once, on the processed headers and path), the route's
 * filters in order with ExtensionRef chains run where they stand, then the Gateway's and the
 * route's PostRouting chains, and finally the backend. Each chain may answer early; then nothing
 * after it runs. Without processors the handler takes its allocation-free fast path instead.
 */
final class ProcessingFlow {

  /** Sends the processed exchange to its backend. */
  interface BackendDispatch {
    void dispatch(Exchange exchange, String path, String hostOverride, RequestBody body);
  }

  private final ChainRunner chains;
  private final ExchangeCompletion completion;
  private final BackendDispatch backends;

  ProcessingFlow(ChainRunner chains, ExchangeCompletion completion, BackendDispatch backends) {
    this.chains = chains;
    this.completion = completion;
    this.backends = backends;
  }

  void start(Exchange exchange, CompiledProcessing processing, PortRoutes.ListenerRouter listener, RequestBody body,
      RandomGenerator random) {
    HttpServerRequest request = exchange.request;
    VertxMutableHeaders headers = VertxMutableHeaders.copyOf(request.headers());
    // The built-in pre-routing step: the body's model, not a client-sent header, names the model.
    if (exchange.body.model() != null) {
      headers.set(RuntimeConfig.MODEL_HEADER, exchange.body.model());
    } else {
      headers.remove(RuntimeConfig.MODEL_HEADER);
    }
    exchange.processed = new ProcessedRequest(request.method().name(), request.path(), headers,
        body == null ? null : body.bytes(), exchange.body.model());
    var state = new State(exchange, processing, listener, body, random);
    ProcessingChain pre = processing.gatewayPreRouting().get(listener.gateway());
    if (pre == null) {
      route(state);
    } else {
      chains.runRequest(exchange, pre, () -> route(state));
    }
  }

  /** What the flow carries between asynchronous steps. */
  private static final class State {
    final Exchange exchange;
    final CompiledProcessing processing;
    final PortRoutes.ListenerRouter listener;
    final RequestBody originalBody;
    final RandomGenerator random;
    String hostOverride;

    State(Exchange exchange, CompiledProcessing processing, PortRoutes.ListenerRouter listener, RequestBody body,
        RandomGenerator random) {
      this.exchange = exchange;
      this.processing = processing;
      this.listener = listener;
      this.originalBody = body;
      this.random = random;
    }
  }

  private void route(State state) {
    Exchange exchange = state.exchange;
    ProcessedRequest processed = exchange.processed;
    HttpServerRequest request = exchange.request;
    String host = request.authority() == null ? request.getHeader("host") : request.authority().toString();
    var head = new RequestHead(request.method().name(), host, processed.path(), request.query(), processed.headers());
    Optional<RouteMatchResult> matched = state.listener.router().match(head);
    if (matched.isEmpty()) {
      String model = processed.headers().get(RuntimeConfig.MODEL_HEADER);
      completion.fail(exchange, model != null
          ? new GatewayError.ModelNotFound(model)
          : new GatewayError.RouteNotFound(request.method().name(), processed.path()));
      return;
    }
    exchange.match = matched.get();
    exchange.routedModel = processed.headers().get(RuntimeConfig.MODEL_HEADER);
    Optional<WeightedBackend> picked = exchange.match.backends().pick(state.random);
    if (picked.isEmpty()) {
      completion.fail(exchange, new GatewayError.NoBackend(exchange.routeName()));
      return;
    }
    exchange.backend = picked.get();
    filters(state, 0);
  }

  /** Runs the route's filters from {@code index} on, in order; an ExtensionRef pauses the loop for its chain. */
  private void filters(State state, int index) {
    Exchange exchange = state.exchange;
    List<RouteFilter> filters = exchange.match.rule().filters();
    VertxMutableHeaders headers = (VertxMutableHeaders) exchange.processed.headers();
    for (int i = index; i < filters.size(); i++) {
      switch (filters.get(i)) {
        case RouteFilter.RequestHeaderModifier m -> HeaderFilters.apply(m.modifier(), headers.map());
        case RouteFilter.ResponseHeaderModifier m -> { } // applied to the response
        case RouteFilter.UrlRewrite rewrite -> {
          if (rewrite.hostname() != null) {
            state.hostOverride = rewrite.hostname();
          }
          if (rewrite.path() != null) {
            exchange.processed.setPath(PathRewrite.apply(rewrite.path(), exchange.match.match(), exchange.processed.path()));
          }
        }
        case RouteFilter.ExtensionRef ref -> {
          String name = exchange.match.route().metadata().namespace() + "/" + ref.name();
          ProcessingChain chain = state.processing.extension(name);
          if (chain == null) {
            // Validation refuses such a configuration; this guards the invariant, never skips the filter.
            completion.fail(exchange, new GatewayError.UnresolvedExtension("PayloadProcessor " + name));
            return;
          }
          int next = i + 1;
          chains.runRequest(exchange, chain, () -> filters(state, next));
          return;
        }
      }
    }
    postRouting(state);
  }

  private void postRouting(State state) {
    Exchange exchange = state.exchange;
    ProcessingChain gateway = state.processing.gatewayPostRouting().get(state.listener.gateway());
    ProcessingChain route = state.processing.routePostRouting().get(exchange.match.route().metadata().qualifiedName());
    Runnable afterRoute = route == null ? () -> dispatch(state) : () -> chains.runRequest(exchange, route, () -> dispatch(state));
    if (gateway == null) {
      afterRoute.run();
    } else {
      chains.runRequest(exchange, gateway, afterRoute);
    }
  }

  /** Sends what the processors left: their body when they changed it, re-read for the fields the proxy needs. */
  private void dispatch(State state) {
    Exchange exchange = state.exchange;
    ProcessedRequest processed = exchange.processed;
    RequestBody body = state.originalBody;
    if (processed.bodyChanged()) {
      byte[] bytes = processed.body();
      body = new RequestBody(Buffer.buffer(bytes), bytes);
      try {
        exchange.body = OpenAiRequestInspector.inspect(bytes);
      } catch (RequestRejected rejected) {
        completion.fail(exchange, new GatewayError.Internal("A processor produced a request body that is not a JSON object"));
        return;
      }
    }
    backends.dispatch(exchange, processed.path(), state.hostOverride, body);
  }
}
