package dev.aigis.server.extproc;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.exchange.ExchangePipeline;
import dev.aigis.core.exchange.RoutingBarrier;
import dev.aigis.core.exchange.builtin.ModelHeaderStep;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.routing.RequestHead;
import dev.aigis.core.routing.RouteMatchResult;
import dev.aigis.core.routing.WeightedBackend;
import dev.aigis.server.processing.CompiledProcessing;
import dev.aigis.server.proxy.PortRoutes;
import dev.aigis.server.proxy.RuntimeConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What the ext_proc server runs exchanges through, for one configuration: the Gateway's exchange
 * pipeline (the same one the data plane runs), the Gateway's listeners for the routing barrier,
 * and the processing modes its chains need. Immutable; a reload swaps it whole, and each stream
 * keeps the one it started with.
 *
 * @param listeners the Gateway's listeners; null when only chains were given, and routing is
 *     Envoy's alone (the barrier then lets every request through without a route)
 */
record ExtProcTarget(ExchangePipeline pipeline, List<PortRoutes.ListenerRouter> listeners, Needs needs) {

  /** The union of what every chain of the configuration may need, for Envoy's processing mode. */
  record Needs(boolean requestBodyBuffered, boolean responseHeaders, BodyMode responseBody) {

    static Needs of(Collection<ProcessingChain> chains) {
      boolean buffered = false;
      boolean headers = false;
      BodyMode body = BodyMode.NONE;
      for (ProcessingChain chain : chains) {
        if (chain == null) {
          continue;
        }
        buffered |= chain.needs().requestBody() != BodyMode.NONE;
        headers |= chain.needs().responseHeaders();
        BodyMode mode = chain.needs().responseBody();
        if (mode == BodyMode.BUFFERED || (mode == BodyMode.STREAMED && body == BodyMode.NONE)) {
          body = mode;
        }
      }
      return new Needs(buffered, headers, body);
    }
  }

  /** The target for a Gateway ({@code namespace/name}) of a compiled configuration, routes included. */
  static ExtProcTarget of(RuntimeConfig runtime, String gateway) {
    List<PortRoutes.ListenerRouter> listeners = new ArrayList<>();
    boolean routes = false;
    boolean responseFilters = false;
    for (PortRoutes.ListenerRouter listener : runtime.listeners()) {
      if (listener.gateway().equals(gateway)) {
        listeners.add(listener);
        routes |= !listener.router().attachedRoutes().isEmpty();
        responseFilters |= hasResponseHeaderFilter(listener.router().attachedRoutes());
      }
    }
    CompiledProcessing processing = runtime.processing();
    List<ProcessingChain> all = new ArrayList<>(processing.byName().values());
    all.addAll(processing.policies().chains()); // RateLimit headers are a response-header stage too
    Needs chains = Needs.of(all);
    // The route's ResponseHeaderModifier is a built-in response stage: Envoy must send response headers for it.
    Needs needs = new Needs(chains.requestBodyBuffered(), chains.responseHeaders() || responseFilters, chains.responseBody());
    // A Gateway with no HTTPRoutes in Aigis's configuration leaves routing to Envoy alone.
    return new ExtProcTarget(runtime.pipeline(gateway), routes ? List.copyOf(listeners) : null, needs);
  }

  private static boolean hasResponseHeaderFilter(List<dev.aigis.model.HttpRoute> routes) {
    for (dev.aigis.model.HttpRoute route : routes) {
      for (dev.aigis.model.route.RouteRule rule : route.rules()) {
        for (dev.aigis.model.route.RouteFilter filter : rule.filters()) {
          if (filter instanceof dev.aigis.model.route.RouteFilter.ResponseHeaderModifier) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The target for bare chains: no routes, so route-level stages never run. */
  static ExtProcTarget ofChains(ProcessingChain preRouting, ProcessingChain postRouting) {
    var chains = new ExchangePipeline.Chains(preRouting, postRouting, java.util.Map.of(), java.util.Map.of());
    List<ProcessingChain> both = new ArrayList<>(2);
    both.add(preRouting);
    both.add(postRouting);
    return new ExtProcTarget(new ExchangePipeline(chains), null, Needs.of(both));
  }

  /**
   * The routing barrier behind Envoy: the same route match the data plane makes, on the Gateway's
   * listener for the request's host, so route-level stages (filters, ExtensionRefs, the route's
   * PostRouting chain) run here as they run there. Envoy still routes the request itself.
   */
  RoutingBarrier barrier(ExchangeContext context, String host, String rawQuery, SplittableRandom random) {
    if (listeners == null) {
      return request -> null;
    }
    return request -> route(context, host, rawQuery, request, random);
  }

  private GatewayError route(ExchangeContext context, String host, String rawQuery, ProcessedRequest request,
      SplittableRandom random) {
    String model = request.headers().get(ModelHeaderStep.MODEL_HEADER);
    PortRoutes.ListenerRouter listener = listenerFor(host);
    Optional<RouteMatchResult> matched = listener == null ? Optional.empty()
        : listener.router().match(new RequestHead(request.method(), host, request.path(), rawQuery, request.headers()));
    if (matched.isEmpty()) {
      return model != null ? new GatewayError.ModelNotFound(model) : new GatewayError.RouteNotFound(request.method(), request.path());
    }
    Optional<WeightedBackend> picked = matched.get().backends().pick(random);
    context.routed(matched.get(), picked.orElse(null), model);
    return null;
  }

  private PortRoutes.ListenerRouter listenerFor(String host) {
    String normalised = PortRoutes.normalise(host);
    PortRoutes.ListenerRouter fallback = null;
    for (PortRoutes.ListenerRouter listener : listeners) {
      String hostname = listener.listener().hostname();
      if (hostname == null) {
        fallback = fallback == null ? listener : fallback;
        continue;
      }
      String pattern = hostname.toLowerCase(Locale.ROOT);
      if (normalised != null && (pattern.startsWith("*.") ? normalised.endsWith(pattern.substring(1)) : normalised.equals(pattern))) {
        return listener;
      }
    }
    return fallback;
  }
}
