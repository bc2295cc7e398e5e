package dev.aigis.app;

/** YAML configurations shared by the end-to-end tests. */
public final class Configs {

  private Configs() {}

  /** One gateway on ${PORT}; models gpt-4o-mini and text-embedding-3-small go to the fake upstream. */
  public static String openAiUpstream(int upstreamPort) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: upstream-key}
        stringData: {apiKey: sk-upstream-secret}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: fake}
        spec:
          schema: OpenAI
          endpoint: {host: 127.0.0.1, port: %d}
          credentials: {secretRef: {name: upstream-key, key: apiKey}}
          timeouts: {connect: 2s, response: 2s, idle: 2s}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: echo}
        spec:
          schema: OpenAI
          endpoint: {builtin: Echo}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o-mini}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: fake}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-3.5-turbo-instruct}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: fake}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: text-embedding-3-small}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: fake}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: aigis-echo}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]
          - matches: [{path: {type: PathPrefix, value: /v1/files}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {set: [{name: x-team, value: platform}]}
            - type: ResponseHeaderModifier
              responseHeaderModifier: {add: [{name: x-served-by, value: aigis}]}
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: fake}]
        """.formatted(upstreamPort);
  }
}
