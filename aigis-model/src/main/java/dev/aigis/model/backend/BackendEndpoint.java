package dev.aigis.model.backend;

/**
 * Where a backend is reached, a closed set: a URL (scheme, host, port and an optional base path such
 * as {@code /v1} or {@code /openai}), a model served inside the gateway, or a Kubernetes Service of
 * the backend's namespace. A compiled snapshot never holds a {@link Service}: the compiler turns it
 * into the {@link Url} its {@link ServiceAddresses} gives.
 */
public sealed interface BackendEndpoint {

  /** {@code https://api.openai.com}, {@code http://127.0.0.1:8000}. {@code basePath} has no trailing slash. */
  record Url(boolean tls, String host, int port, String basePath) implements BackendEndpoint {
    public String authority() {
      return (tls && port == 443) || (!tls && port == 80) ? host : host + ":" + port;
    }
  }

  /** A model answered inside the gateway, with no network hop. */
  record Builtin(Kind kind) implements BackendEndpoint {
    public enum Kind { Echo }
  }

  /**
   * {@code spec.backendRef: {kind: Service, name, port}}: a Service in the backend's namespace, spoken
   * to in plain HTTP at that port. Cluster DNS and kube-proxy pick the pod, so no EndpointSlice is read.
   */
  record Service(String name, int port) implements BackendEndpoint {}
}
