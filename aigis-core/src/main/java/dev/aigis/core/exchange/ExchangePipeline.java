package dev.aigis.core.exchange;

import dev.aigis.core.exchange.builtin.ModelHeaderStep;
import dev.aigis.core.exchange.builtin.RequestHeaderFilter;
import dev.aigis.core.exchange.builtin.ResponseHeaderFilter;
import dev.aigis.core.exchange.builtin.UrlRewriteFilter;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ConfiguredProcessor;
import dev.aigis.core.processing.FailureMode;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.ProcessingObserver;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.Scheduler;
import dev.aigis.core.routing.RouteMatchResult;
import dev.aigis.model.route.RouteFilter;
import dev.aigis.model.route.RouteRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The ordered stages of every exchange through one Gateway: the built-in model-header step, the
 * Gateway's PreRouting chain, the routing barrier, the matched rule's filters as built-in
 * processors with {@code ExtensionRef} chains standing where they are listed, then the Gateway's
 * and the route's PostRouting chains. The response runs the same stages backwards ({@link
 * PipelineRun}). "No processors" is a list with only built-ins in it, not a second code path.
 *
 * <p>Immutable and shared by every exchange of one configuration snapshot; both front doors (the
 * HTTP data plane and the ext_proc server) run exchanges through it.
 */
public final class ExchangePipeline {

  /** The PayloadProcessor chains of one snapshot, keyed by {@code namespace/name}. */
  public record Chains(
      ProcessingChain gatewayPreRouting,
      ProcessingChain gatewayPostRouting,
      Map<String, ProcessingChain> routePostRouting,
      Map<String, ProcessingChain> byName) {

    public static final Chains NONE = new Chains(null, null, Map.of(), Map.of());

    public Chains {
      routePostRouting = Map.copyOf(routePostRouting);
      byName = Map.copyOf(byName);
    }
  }

  /**
   * The identity and limit stages of one Gateway, all built-in: {@code authentication} runs before
   * the Gateway's PreRouting chain (a caller without valid credentials learns nothing about routes
   * or models), {@code afterRouting} (access rules and limits of the Gateway's policies) runs first
   * after the barrier, when the routed model is known, and {@code routes} holds each HTTPRoute's own
   * policies, keyed by {@code namespace/name}, which run after the Gateway's.
   */
  public record PolicyChains(ProcessingChain authentication, ProcessingChain afterRouting,
      Map<String, ProcessingChain> routes) {

    public static final PolicyChains NONE = new PolicyChains(null, null, Map.of());

    public PolicyChains {
      routes = Map.copyOf(routes);
    }
  }

  private static final ProcessingChain MODEL_HEADER = builtinChain("aigis/model-header", "model-header", new ModelHeaderStep());

  private final List<Stage> preRouting;
  private final Stage gatewayPost;
  private final Chains chains;
  private final PolicyChains policies;
  private final Stage policiesAfterRouting;
  private final List<Stage> unrouted;
  private final boolean requestBodyNeeded;
  /** Per rule (by identity: rules are immutable records of one snapshot), its filter stages and PostRouting. */
  private final Map<RouteRuleKey, List<Stage>> afterRouting = new ConcurrentHashMap<>();

  public ExchangePipeline(Chains chains) {
    this(chains, PolicyChains.NONE);
  }

  public ExchangePipeline(Chains chains, PolicyChains policies) {
    this.chains = chains;
    this.policies = policies;
    List<Stage> pre = new ArrayList<>(3);
    pre.add(Stage.builtin(MODEL_HEADER));
    if (present(policies.authentication())) {
      pre.add(Stage.builtin(policies.authentication()));
    }
    if (present(chains.gatewayPreRouting())) {
      pre.add(Stage.configured(chains.gatewayPreRouting()));
    }
    this.preRouting = List.copyOf(pre);
    this.gatewayPost = present(chains.gatewayPostRouting()) ? Stage.configured(chains.gatewayPostRouting()) : null;
    this.policiesAfterRouting = present(policies.afterRouting()) ? Stage.builtin(policies.afterRouting()) : null;
    List<Stage> plain = new ArrayList<>(2);
    if (policiesAfterRouting != null) {
      plain.add(policiesAfterRouting);
    }
    if (gatewayPost != null) {
      plain.add(gatewayPost);
    }
    this.unrouted = List.copyOf(plain);
    boolean body = false;
    for (ProcessingChain chain : chains.byName().values()) {
      body |= chain.needs().requestBody() != BodyMode.NONE;
    }
    this.requestBodyNeeded = body;
  }

  /** A pipeline with only the built-in stages. */
  public static ExchangePipeline builtinOnly() {
    return new ExchangePipeline(Chains.NONE);
  }

  /**
   * Whether some configured chain reads request bodies. Bodies are then buffered for every request
   * that has one, because which chains run is known only after routing, when the body would be gone.
   */
  public boolean requestBodyNeeded() {
    return requestBodyNeeded;
  }

  /** Starts one exchange; continuations run on {@code executor}, the exchange's thread. */
  public PipelineRun start(ExchangeContext context, Executor executor, Scheduler scheduler, ProcessingObserver observer) {
    return new PipelineRun(this, context, executor, scheduler, observer);
  }

  List<Stage> preRouting() {
    return preRouting;
  }

  /**
   * After a barrier that routed nothing (behind Envoy, routing is its own): the Gateway's policies
   * and PostRouting only.
   */
  List<Stage> unrouted() {
    return unrouted;
  }

  List<Stage> afterRouting(RouteMatchResult match) {
    return afterRouting.computeIfAbsent(new RouteRuleKey(match.route().metadata().qualifiedName(), match.rule()),
        key -> compileAfterRouting(match));
  }

  private List<Stage> compileAfterRouting(RouteMatchResult match) {
    List<Stage> stages = new ArrayList<>(4);
    String namespace = match.route().metadata().namespace();
    String routeKey = match.route().metadata().qualifiedName();
    if (policiesAfterRouting != null) {
      stages.add(policiesAfterRouting);
    }
    ProcessingChain routePolicies = policies.routes().get(routeKey);
    if (present(routePolicies)) {
      stages.add(Stage.builtin(routePolicies));
    }
    List<ConfiguredProcessor> builtins = new ArrayList<>(2);
    List<RouteFilter> filters = match.rule().filters();
    for (int i = 0; i < filters.size(); i++) {
      String name = "filters[" + i + "]";
      switch (filters.get(i)) {
        case RouteFilter.RequestHeaderModifier m -> builtins.add(builtin(name, new RequestHeaderFilter(m.modifier())));
        case RouteFilter.ResponseHeaderModifier m -> builtins.add(builtin(name, new ResponseHeaderFilter(m.modifier())));
        case RouteFilter.UrlRewrite rewrite -> builtins.add(builtin(name, new UrlRewriteFilter(rewrite)));
        case RouteFilter.ExtensionRef ref -> {
          flush(stages, builtins, routeKey, match.ruleIndex());
          String qualified = namespace + "/" + ref.name();
          ProcessingChain chain = chains.byName().get(qualified);
          stages.add(chain == null ? Stage.unresolved("PayloadProcessor " + qualified) : Stage.configured(chain));
        }
      }
    }
    flush(stages, builtins, routeKey, match.ruleIndex());
    if (gatewayPost != null) {
      stages.add(gatewayPost);
    }
    ProcessingChain routePost = chains.routePostRouting().get(routeKey);
    if (present(routePost)) {
      stages.add(Stage.configured(routePost));
    }
    return List.copyOf(stages);
  }

  private static void flush(List<Stage> stages, List<ConfiguredProcessor> builtins, String route, int rule) {
    if (!builtins.isEmpty()) {
      stages.add(Stage.builtin(new ProcessingChain(route + "/rules[" + rule + "]", List.copyOf(builtins))));
      builtins.clear();
    }
  }

  private static ConfiguredProcessor builtin(String name, Processor processor) {
    return new ConfiguredProcessor(name, FailureMode.FailClosed, null, processor);
  }

  private static ProcessingChain builtinChain(String chain, String name, Processor processor) {
    return new ProcessingChain(chain, List.of(builtin(name, processor)));
  }

  private static boolean present(ProcessingChain chain) {
    return chain != null && !chain.isEmpty();
  }

  /** Rules are compared by identity: two equal rules of different routes still get their own stages. */
  private record RouteRuleKey(String route, RouteRule rule) {
    @Override
    public boolean equals(Object o) {
      return o instanceof RouteRuleKey other && other.rule == rule && other.route.equals(route);
    }

    @Override
    public int hashCode() {
      return route.hashCode() * 31 + System.identityHashCode(rule);
    }
  }
}
