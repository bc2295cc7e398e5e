package dev.aigis.model.backend;

/**
 * Where a backend is reached, a closed set: a URL (scheme, host, port and an optional base path such
 * as {@code /v1} or {@code /openai}) or a model served inside the gateway.
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
}
