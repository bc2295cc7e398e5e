package dev.aigis.app;

import dev.aigis.core.identity.ApiKeys;

/**
 * YAML pieces the identity and limit tests share: a Gateway with one catch-all route to a backend,
 * API-key Secrets (only the key's hash, as `aigis keys create` writes them) and an AccessPolicy that
 * lets every key through. Each piece after the first starts with {@code ---}.
 */
public final class PolicyYaml {

  private PolicyYaml() {}

  /**
   * Gateway {@code gw} in {@code namespace} on {@code port} ({@code ${PORT}} for GatewayFixture), an
   * OpenAI AIBackend {@code fake} on {@code upstreamPort} and a route sending everything there.
   */
  public static String gatewayTo(String namespace, String port, int upstreamPort) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: %1$s}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: %2$s, protocol: HTTP}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: fake, namespace: %1$s}
        spec:
          schema: OpenAI
          endpoint: {host: 127.0.0.1, port: %3$d}
          timeouts: {connect: 10s, response: 60s, idle: 60s}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: all, namespace: %1$s}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - backendRefs: [{group: aigis.dev, kind: AIBackend, name: fake}]
        """.formatted(namespace, port, upstreamPort);
  }

  /** A Secret of type aigis.dev/api-key for {@code key}, named {@code aigis-key-NAME}; {@code extra} adds stringData fields. */
  public static String apiKey(String namespace, String name, String team, String key, String extra) {
    return """
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: aigis-key-%2$s, namespace: %1$s}
        type: aigis.dev/api-key
        stringData: {name: %2$s, team: %3$s, sha256: %4$s%5$s}
        """.formatted(namespace, name, team, ApiKeys.sha256Hex(key), extra.isEmpty() ? "" : ", " + extra);
  }

  /** An AccessPolicy on Gateway {@code gw} that accepts API keys and lets every one use every model. */
  public static String everyKeyAllowed(String namespace) {
    return """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AccessPolicy
        metadata: {name: access, namespace: %s}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
          authentication: {apiKeys: {}}
          rules: [{name: everyone, action: Allow}]
        """.formatted(namespace);
  }
}
