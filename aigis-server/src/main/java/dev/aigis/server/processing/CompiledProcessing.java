package dev.aigis.server.processing;

import dev.aigis.core.processing.ProcessingChain;
import java.util.Map;

/**
 * Every PayloadProcessor of a snapshot compiled into a chain, keyed by {@code namespace/name}, and
 * the lookups the data plane makes per request: a Gateway's PreRouting and PostRouting chains, an
 * HTTPRoute's PostRouting chain, an ExtensionRef's chain. Immutable; lives as long as its snapshot.
 */
public record CompiledProcessing(
    Map<String, ProcessingChain> byName,
    Map<String, ProcessingChain> gatewayPreRouting,
    Map<String, ProcessingChain> gatewayPostRouting,
    Map<String, ProcessingChain> routePostRouting,
    dev.aigis.server.policy.CompiledPolicies policies) {

  public static final CompiledProcessing NONE = new CompiledProcessing(Map.of(), Map.of(), Map.of(), Map.of());

  /** Without AccessPolicies or RateLimitPolicies. */
  public CompiledProcessing(Map<String, ProcessingChain> byName, Map<String, ProcessingChain> gatewayPreRouting,
      Map<String, ProcessingChain> gatewayPostRouting, Map<String, ProcessingChain> routePostRouting) {
    this(byName, gatewayPreRouting, gatewayPostRouting, routePostRouting, dev.aigis.server.policy.CompiledPolicies.NONE);
  }

  /**
   * Whether some chain reads request bodies. Bodies are then buffered for every request that has
   * one, because which chains run is known only after routing, when the body would be gone.
   */
  public boolean needsRequestBody() {
    for (ProcessingChain chain : byName.values()) {
      if (chain.needs().requestBody() != dev.aigis.core.processing.BodyMode.NONE) {
        return true;
      }
    }
    return false;
  }

  public CompiledProcessing {
    byName = Map.copyOf(byName);
    gatewayPreRouting = Map.copyOf(gatewayPreRouting);
    gatewayPostRouting = Map.copyOf(gatewayPostRouting);
    routePostRouting = Map.copyOf(routePostRouting);
    policies = policies == null ? dev.aigis.server.policy.CompiledPolicies.NONE : policies;
  }

  public boolean isEmpty() {
    return byName.isEmpty() && policies.isEmpty();
  }

  /** The chain an ExtensionRef names ({@code namespace/name}), or null. */
  public ProcessingChain extension(String qualifiedName) {
    return byName.get(qualifiedName);
  }
}
