package dev.aigis.server.policy;

import dev.aigis.core.exchange.ExchangePipeline;
import dev.aigis.core.processing.ProcessingChain;
import java.util.Map;

/**
 * A snapshot's AccessPolicies and RateLimitPolicies as built-in chains: per Gateway
 * ({@code namespace/name}) the authentication chain and the chain that runs first after routing,
 * and per HTTPRoute its own. Immutable; lives as long as its snapshot.
 */
public record CompiledPolicies(
    Map<String, ProcessingChain> authentication,
    Map<String, ProcessingChain> afterRouting,
    Map<String, ProcessingChain> routes,
    Map<String, dev.aigis.core.policy.AccessControl> gatewayAccess) {

  public static final CompiledPolicies NONE = new CompiledPolicies(Map.of(), Map.of(), Map.of(), Map.of());

  public CompiledPolicies {
    gatewayAccess = Map.copyOf(gatewayAccess);
    authentication = Map.copyOf(authentication);
    afterRouting = Map.copyOf(afterRouting);
    routes = Map.copyOf(routes);
  }

  public ExchangePipeline.PolicyChains forGateway(String gateway) {
    return new ExchangePipeline.PolicyChains(authentication.get(gateway), afterRouting.get(gateway), routes);
  }

  /** The AccessPolicy of a Gateway ({@code namespace/name}), for {@code GET /v1/models}; null when it has none. */
  public dev.aigis.core.policy.AccessControl access(String gateway) {
    return gatewayAccess.get(gateway);
  }

  /** Every chain, for what the ext_proc server must ask Envoy to send. */
  public java.util.List<ProcessingChain> chains() {
    var all = new java.util.ArrayList<ProcessingChain>(authentication.values());
    all.addAll(afterRouting.values());
    all.addAll(routes.values());
    return all;
  }

  public boolean isEmpty() {
    return authentication.isEmpty() && afterRouting.isEmpty() && routes.isEmpty();
  }
}
