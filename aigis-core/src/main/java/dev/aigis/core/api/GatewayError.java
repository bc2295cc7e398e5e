package dev.aigis.core.api;

/**
 * Every failure the gateway reports to a client, a closed set. Each knows its HTTP status; the
 * wire shape (OpenAI's {@code {"error":{...}}} today, Anthropic's later) is chosen by an
 * {@link ErrorRenderer}, the one place that renders them. Messages here are shown to clients, so
 * they never carry secrets, prompt text or internal stack traces.
 */
public sealed interface GatewayError {

  int status();

  String message();

  /** OpenAI's error {@code type}. */
  String type();

  /** A stable machine-readable code. */
  String code();

  record MalformedJson(String detail, long line, long column) implements GatewayError {
    public int status() { return 400; }
    public String message() {
      return "Invalid JSON in request body at line " + line + ", column " + column + ": " + detail;
    }
    public String type() { return "invalid_request_error"; }
    public String code() { return "invalid_json"; }
  }

  /** A well-formed body that is not what the endpoint accepts (e.g. not an object, model not a string). */
  record InvalidRequest(String message, String param) implements GatewayError {
    public int status() { return 400; }
    public String type() { return "invalid_request_error"; }
    public String code() { return "invalid_request"; }
  }

  record BodyTooLarge(long limitBytes) implements GatewayError {
    public int status() { return 413; }
    public String message() { return "Request body exceeds the limit of " + limitBytes + " bytes"; }
    public String type() { return "invalid_request_error"; }
    public String code() { return "request_too_large"; }
  }

  /** The client stopped sending its request body (nginx's {@code client_body_timeout}). */
  record BodyStalled(long seconds) implements GatewayError {
    public int status() { return 408; }
    public String message() { return "The request body stopped arriving for " + seconds + " s"; }
    public String type() { return "invalid_request_error"; }
    public String code() { return "request_timeout"; }
  }

  record ModelNotFound(String model) implements GatewayError {
    public int status() { return 404; }
    public String message() { return "The model `" + model + "` does not exist or is not served by this gateway"; }
    public String type() { return "invalid_request_error"; }
    public String code() { return "model_not_found"; }
  }

  record RouteNotFound(String method, String path) implements GatewayError {
    public int status() { return 404; }
    public String message() { return "No route matches " + method + " " + path; }
    public String type() { return "invalid_request_error"; }
    public String code() { return "route_not_found"; }
  }

  /** The route matched but has no backend that can be used (all weights zero, or unresolved). */
  record NoBackend(String route) implements GatewayError {
    public int status() { return 500; }
    public String message() { return "Route " + route + " has no usable backend"; }
    public String type() { return "server_error"; }
    public String code() { return "no_backend"; }
  }

  /** Every backend of the route that could take the request has its circuit breaker open. */
  record NoHealthyBackend(String route) implements GatewayError {
    public int status() { return 503; }
    public String message() { return "No healthy backend for route " + route + ": every one is ejected by its circuit breaker"; }
    public String type() { return "server_error"; }
    public String code() { return "no_healthy_backend"; }
  }

  /** The backend already has its {@code maxConcurrentRequests} in flight. */
  record BackendBusy(String backend, int limit) implements GatewayError {
    public int status() { return 503; }
    public String message() { return "Backend " + backend + " is at its limit of " + limit + " concurrent requests; try again later"; }
    public String type() { return "server_error"; }
    public String code() { return "backend_busy"; }
  }

  record UpstreamUnreachable(String backend) implements GatewayError {
    public int status() { return 502; }
    public String message() { return "Upstream " + backend + " is unreachable"; }
    public String type() { return "server_error"; }
    public String code() { return "upstream_unreachable"; }
  }

  /** The upstream answered with something that is not a valid response (e.g. a broken stream). */
  record UpstreamProtocolError(String backend, String detail) implements GatewayError {
    public int status() { return 502; }
    public String message() { return "Upstream " + backend + " sent an invalid response: " + detail; }
    public String type() { return "server_error"; }
    public String code() { return "upstream_invalid_response"; }
  }

  /** The upstream failed with a status and a body that is not in the API's error format. */
  record UpstreamStatus(String backend, int status) implements GatewayError {
    public String message() { return "Upstream " + backend + " answered HTTP " + status; }
    public String type() { return status >= 500 ? "server_error" : "invalid_request_error"; }
    public String code() { return "upstream_error"; }
  }

  /**
   * The upstream refused or failed with an error in its own API's format (an HTTP error body, or an
   * error event inside a stream): its status, type, code and message are kept and re-rendered in
   * the caller's shape.
   *
   * @param status the HTTP status to answer (the upstream's, or one chosen for in-stream errors)
   * @param type the provider's error type, e.g. Anthropic's {@code overloaded_error}
   * @param code the provider's error code (Anthropic has none and repeats the type)
   * @param message the provider's message, shown as is
   * @param provider the backend schema, e.g. {@code OpenAI}, {@code AzureOpenAI}, {@code anthropic}
   */
  record ProviderError(int status, String type, String code, String message, String provider)
      implements GatewayError {
    /** An error whose provider has types but no codes. */
    public ProviderError(int status, String type, String message, String provider) {
      this(status, type, type, message, provider);
    }
  }

  record UpstreamTimeout(String backend, long timeoutMillis) implements GatewayError {
    public int status() { return 504; }
    public String message() { return "Upstream " + backend + " did not answer within " + timeoutMillis + " ms"; }
    public String type() { return "server_error"; }
    public String code() { return "upstream_timeout"; }
  }

  /** A FailClosed processor failed (or its external server is unreachable). */
  record ProcessorFailed(String processor, String detail) implements GatewayError {
    public int status() { return 500; }
    public String message() { return "Processor " + processor + " failed: " + detail; }
    public String type() { return "server_error"; }
    public String code() { return "processor_failed"; }
  }

  /** A FailClosed processor did not answer within its timeout. */
  record ProcessorTimeout(String processor, long timeoutMillis) implements GatewayError {
    public int status() { return 504; }
    public String message() { return "Processor " + processor + " did not answer within " + timeoutMillis + " ms"; }
    public String type() { return "server_error"; }
    public String code() { return "processor_timeout"; }
  }

  /** An HTTPRoute ExtensionRef filter names a PayloadProcessor that does not exist. Never skipped. */
  record UnresolvedExtension(String reference) implements GatewayError {
    public int status() { return 500; }
    public String message() { return "Route filter references " + reference + ", which cannot be resolved"; }
    public String type() { return "server_error"; }
    public String code() { return "unresolved_extension"; }
  }

  /**
   * No credential, or one the gateway cannot verify. {@code reason} says which without quoting the
   * credential: "no API key or bearer token was presented", "invalid API key", "token expired".
   */
  record Unauthenticated(String reason) implements GatewayError {
    public int status() { return 401; }
    public String message() { return "Authentication failed: " + reason; }
    public String type() { return "invalid_request_error"; }
    public String code() { return "invalid_api_key"; }
  }

  /** A verified caller whose AccessPolicy (or whose key's own model list) does not allow the model. */
  record ModelAccessDenied(String caller, String model) implements GatewayError {
    public int status() { return 403; }
    public String message() {
      return model == null || model.isEmpty()
          ? caller + " is not allowed to use this endpoint"
          : caller + " is not allowed to use the model `" + model + "`";
    }
    public String type() { return "invalid_request_error"; }
    public String code() { return "model_access_denied"; }
  }

  /**
   * A RateLimitPolicy rule's bucket is exhausted. OpenAI's types: {@code requests} and
   * {@code tokens} for rate limits, {@code insufficient_quota} for a spent budget.
   *
   * @param unit REQUESTS, TOKENS or COST
   * @param retryAfterSeconds until the rule's window resets
   */
  record RateLimited(String rule, String unit, long retryAfterSeconds) implements GatewayError {
    public int status() { return 429; }
    public String message() {
      String what = switch (unit) {
        case "TOKENS" -> "Token rate limit";
        case "COST" -> "Budget";
        default -> "Request rate limit";
      };
      return what + " exceeded (rule " + rule + "); retry after " + retryAfterSeconds + " s";
    }
    public String type() {
      return switch (unit) {
        case "TOKENS" -> "tokens";
        case "COST" -> "insufficient_quota";
        default -> "requests";
      };
    }
    public String code() { return "COST".equals(unit) ? "insufficient_quota" : "rate_limit_exceeded"; }
  }

  /**
   * A Guardrail processor refused the request, or the answer it was about to deliver. Names the
   * policy (the processor), never which detector fired, its score or the text.
   */
  record GuardrailBlocked(String policy, boolean answer) implements GatewayError {
    public int status() { return 400; }
    public String message() {
      return (answer ? "The answer was blocked" : "Request blocked") + " by guardrail policy " + policy;
    }
    public String type() { return "invalid_request_error"; }
    public String code() { return "guardrail_violation"; }
  }

  /** A Guardrail processor's anomaly detection throttles a caller whose traffic left its baseline. */
  record GuardrailThrottled(String policy) implements GatewayError {
    public int status() { return 429; }
    public String message() { return "Request refused by guardrail policy " + policy + ": unusual traffic from this caller"; }
    public String type() { return "requests"; }
    public String code() { return "anomalous_traffic"; }
  }

  /** A FailClosed RateLimitPolicy's store cannot be reached, so nothing is admitted. */
  record RateLimitUnavailable(String policy) implements GatewayError {
    public int status() { return 503; }
    public String message() { return "Rate limits of " + policy + " cannot be checked right now; retry shortly"; }
    public String type() { return "server_error"; }
    public String code() { return "rate_limit_unavailable"; }
  }

  /**
   * The TLS connection to an XBackend failed a check: {@code check} says which (an expired, untrusted
   * or wrong-name certificate, an unusable CA reference, a failed handshake), never the certificate.
   */
  record UpstreamTlsFailed(String backend, String check) implements GatewayError {
    public int status() { return 503; }
    public String message() { return "TLS to upstream " + backend + " failed: " + check; }
    public String type() { return "server_error"; }
    public String code() { return "upstream_tls_failed"; }
  }

  /**
   * The XBackend's forward proxy could not be reached or refused the tunnel (407, 403, or its own
   * failure to reach the target); {@code reason} names the proxy by URL, never its credentials.
   */
  record UpstreamProxyFailed(String backend, String reason) implements GatewayError {
    public int status() { return 502; }
    public String message() { return "Upstream " + backend + " is unreachable: " + reason; }
    public String type() { return "server_error"; }
    public String code() { return "upstream_proxy_failed"; }
  }

  /** The Gateway's EgressPolicy does not allow {@code host}, which a filter or processor pointed the request at. */
  record EgressRefused(String host) implements GatewayError {
    public int status() { return 403; }
    public String message() { return "Egress to " + host + " is not allowed by this gateway's EgressPolicy"; }
    public String type() { return "invalid_request_error"; }
    public String code() { return "egress_refused"; }
  }

  record Internal(String message) implements GatewayError {
    public int status() { return 500; }
    public String type() { return "server_error"; }
    public String code() { return "internal_error"; }
  }
}
