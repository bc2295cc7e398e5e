package dev.aigis.app;

import java.util.function.Function;

/**
 * The configuration {@code aigis run} serves when given no files: the built-in {@code aigis-echo}
 * model and, when {@code OPENAI_API_KEY} is set, every other model routed to OpenAI (or to
 * {@code OPENAI_BASE_URL}). It is ordinary resource YAML, loaded through the same compiler as files.
 */
final class EmbeddedConfig {

  static final String FILE_NAME = "<embedded>";

  private EmbeddedConfig() {}

  static String yaml(int port, Function<String, String> env) {
    var yaml = new StringBuilder("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: aigis}
        spec:
          gatewayClassName: aigis
          listeners:
          - {name: http, port: %d, protocol: HTTP}
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
        metadata: {name: echo}
        spec:
          parentRefs: [{name: aigis}]
          rules:
          - matches:
            - headers: [{name: X-Gateway-Model-Name, value: aigis-echo}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]
        """.formatted(port));
    String key = env.apply("OPENAI_API_KEY");
    if (key != null && !key.isBlank()) {
      yaml.append("""
          ---
          apiVersion: aigis.dev/v1alpha1
          kind: AIBackend
          metadata: {name: openai}
          spec:
            schema: OpenAI
            endpoint: {url: "%s"}
            credentials: {env: OPENAI_API_KEY}
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: openai}
          spec:
            parentRefs: [{name: aigis}]
            rules:
            - matches: [{path: {type: PathPrefix, value: /v1}}]
              backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
          """.formatted(openAiRoot(env.apply("OPENAI_BASE_URL"))));
    }
    return yaml.toString();
  }

  /**
   * OPENAI_BASE_URL conventionally ends in {@code /v1}; Aigis keeps the client's {@code /v1/...}
   * path, so the backend URL is the part before it.
   */
  static String openAiRoot(String baseUrl) {
    if (baseUrl == null || baseUrl.isBlank()) {
      return "https://api.openai.com";
    }
    String url = baseUrl.strip();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    return url.endsWith("/v1") ? url.substring(0, url.length() - 3) : url;
  }
}
