package dev.aigis.app.processing;

import dev.aigis.app.GatewayFixture;
import dev.aigis.server.ServerOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** The configuration and requests the processing semantics tests share. */
final class Processing {

  private Processing() {}

  /** Debug headers on, so every answer names its route, backend and the processors that ran. */
  static final ServerOptions OPTIONS =
      ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1").withDebugHeaders(true);

  /**
   * Gateway {@code gw} on ${PORT}; AIBackends {@code a} and {@code b}, both the fake upstream (the
   * debug header tells them apart); HTTPRoute {@code models}: model-a to a and model-b to b, each rule
   * stamping {@code x-routed-by}, and {@code /v1/files} to a.
   */
  static String base(int upstreamPort) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: a}
        spec:
          schema: OpenAI
          endpoint: {host: 127.0.0.1, port: %1$d}
          timeouts: {connect: 2s, response: 5s, idle: 5s}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: b}
        spec:
          schema: OpenAI
          endpoint: {host: 127.0.0.1, port: %1$d}
          timeouts: {connect: 2s, response: 5s, idle: 5s}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: model-a}]}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {set: [{name: x-routed-by, value: route-a}]}
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: a}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: model-b}]}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {set: [{name: x-routed-by, value: route-b}]}
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: b}]
          - matches: [{path: {type: PathPrefix, value: /v1/files}}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: a}]
        """.formatted(upstreamPort);
  }

  /**
   * A PayloadProcessor of one InProcess processor per {@code processors} entry, each a YAML flow
   * mapping of its remaining fields, e.g. {@code "{name: p, inProcess: {request: {...}}}"} with the
   * type added.
   */
  static String processor(String name, String target, String phase, String... processors) {
    var yaml = new StringBuilder("""
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: %s}
        spec:
        """.formatted(name));
    if (target != null) {
      yaml.append("  targetRef: ").append(target).append('\n').append("  phase: ").append(phase).append('\n');
    }
    yaml.append("  processors:\n");
    for (String processor : processors) {
      yaml.append("  - ").append(processor.replaceFirst("^\\{", "{type: InProcess, ")).append('\n');
    }
    return yaml.toString();
  }

  static final String GATEWAY = "{kind: Gateway, name: gw}";
  static final String ROUTE = "{kind: HTTPRoute, name: models}";

  /** A processor that sets one request header to a CEL expression. */
  static String setHeader(String name, String header, String cel) {
    return "{name: " + name + ", inProcess: {request: {setHeaders: [{name: " + header + ", value: \"" + cel + "\"}]}}}";
  }

  static GatewayFixture start(String yaml) {
    return GatewayFixture.start(yaml, OPTIONS, Map.of());
  }

  static HttpResponse<String> chat(GatewayFixture gateway, String model, String... headers) {
    var request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return gateway.send(request.build());
  }
}
