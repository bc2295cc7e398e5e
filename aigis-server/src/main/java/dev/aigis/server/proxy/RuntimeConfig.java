package dev.aigis.server.proxy;

import dev.aigis.core.routing.Router;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.route.RouteMatch;
import dev.aigis.model.snapshot.BoundListener;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.server.metrics.ModelLabels;
import dev.aigis.server.processing.CompiledProcessing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.aigis.core.exchange.ExchangePipeline;

/**
 * A configuration snapshot compiled for the data plane: routers per port. Immutable; the handler
 * reads the current one once per request, so a reload never changes a request half-way through.
 */
public final class RuntimeConfig {

  public static final String MODEL_HEADER = "X-Gateway-Model-Name";

  private final ConfigSnapshot snapshot;
  private final Map<Integer, PortRoutes> ports;
  private final CompiledProcessing processing;
  private final boolean requestBodyNeeded;
  private final ModelLabels modelLabels;
  /** Gateway {@code namespace/name} → the hostnames its EgressPolicy allows. */
  private final Map<String, java.util.List<String>> egress;
  /** One pipeline per Gateway ({@code namespace/name}), built on first use. */
  private final Map<String, ExchangePipeline> pipelines = new ConcurrentHashMap<>();

  private RuntimeConfig(ConfigSnapshot snapshot, Map<Integer, PortRoutes> ports, CompiledProcessing processing) {
    this.snapshot = snapshot;
    this.ports = Map.copyOf(ports);
    this.processing = processing;
    this.requestBodyNeeded = processing.needsRequestBody();
    this.modelLabels = ModelLabels.of(snapshot);
    this.egress = egressOf(snapshot);
  }

  /** The metric label for a routed model: declared by the configuration, or {@code other}. */
  String modelLabel(String model) {
    return modelLabels.label(model);
  }

  public static RuntimeConfig compile(ConfigSnapshot snapshot) {
    return compile(snapshot, CompiledProcessing.NONE);
  }

  public CompiledProcessing processing() {
    return processing;
  }

  /** Whether some chain reads request bodies (then every request with a body has it buffered). */
  boolean requestBodyNeeded() {
    return requestBodyNeeded;
  }

  /** The exchange pipeline of a Gateway ({@code namespace/name}): its chains, built-ins and route stages. */
  public ExchangePipeline pipeline(String gateway) {
    return pipelines.computeIfAbsent(gateway, key -> pipelineOf(processing, key));
  }

  /** A Gateway's pipeline over compiled processing (shared with the ext_proc server). */
  public static ExchangePipeline pipelineOf(CompiledProcessing processing, String gateway) {
    return new ExchangePipeline(new ExchangePipeline.Chains(
        processing.gatewayPreRouting().get(gateway), processing.gatewayPostRouting().get(gateway),
        processing.routePostRouting(), processing.byName()), processing.policies().forGateway(gateway));
  }

  public static RuntimeConfig compile(ConfigSnapshot snapshot, CompiledProcessing processing) {
    Map<Integer, List<PortRoutes.ListenerRouter>> byPort = new HashMap<>();
    for (BoundListener listener : snapshot.listeners()) {
      Router router = Router.compile(listener, snapshot.routes(), snapshot.backends());
      byPort.computeIfAbsent(listener.port(), p -> new ArrayList<>())
          .add(new PortRoutes.ListenerRouter(listener.gateway().metadata().qualifiedName(), listener.listener(), router));
    }
    Map<Integer, PortRoutes> ports = new HashMap<>();
    byPort.forEach((port, routers) -> ports.put(port, new PortRoutes(routers,
        modelsOf(routers.stream().flatMap(r -> r.router().attachedRoutes().stream()).distinct().toList()))));
    return new RuntimeConfig(snapshot, ports, processing);
  }

  /**
   * The hostnames a Gateway's EgressPolicy allows, or null when it has none. The compiler allowed
   * one policy per Gateway and checked every backend against it.
   */
  java.util.List<String> egressAllowList(String gateway) {
    return egress.get(gateway);
  }

  private static Map<String, java.util.List<String>> egressOf(ConfigSnapshot snapshot) {
    Map<String, java.util.List<String>> out = new HashMap<>();
    for (var resource : snapshot.resources()) {
      if (resource instanceof dev.aigis.model.EgressPolicy policy && policy.targetRef() != null) {
        out.putIfAbsent(policy.metadata().namespace() + "/" + policy.targetRef().name(), policy.allowedHostnames());
      }
    }
    return Map.copyOf(out);
  }

  public ConfigSnapshot snapshot() {
    return snapshot;
  }

  /** Every listener's router, for front doors that match routes themselves (the ext_proc server). */
  public java.util.List<PortRoutes.ListenerRouter> listeners() {
    return ports.values().stream().flatMap(p -> p.listeners().stream()).toList();
  }

  PortRoutes port(int port) {
    return ports.get(port);
  }

  /** Models named by exact {@code X-Gateway-Model-Name} header matches, in configuration order. */
  private static List<String> modelsOf(List<HttpRoute> routes) {
    var models = new LinkedHashSet<String>();
    for (HttpRoute route : routes) {
      for (var rule : route.rules()) {
        for (RouteMatch match : rule.matches()) {
          for (RouteMatch.HeaderMatch header : match.headers()) {
            if (header.type() == RouteMatch.MatchType.Exact && MODEL_HEADER.equalsIgnoreCase(header.name())) {
              models.add(header.value());
            }
          }
        }
      }
    }
    return List.copyOf(models);
  }
}
