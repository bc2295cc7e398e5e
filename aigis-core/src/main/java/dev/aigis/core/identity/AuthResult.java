package dev.aigis.core.identity;

import java.util.Objects;

/**
 * The outcome of checking a request's credentials. Rejection reasons are shown to clients, so
 * they never contain a token, a key or signature material; at most a configured name.
 */
public sealed interface AuthResult {

  /**
   * @param consumedHeader the lowercase header the credential came from, which the caller strips
   *     before the request goes upstream; null when the credential was checked outside a request
   *     (a registry or verifier called directly)
   */
  record Authenticated(Identity identity, String consumedHeader) implements AuthResult {
    public Authenticated {
      Objects.requireNonNull(identity, "identity");
    }

    Authenticated consumedFrom(String header) {
      return new Authenticated(identity, header);
    }
  }

  /** No credential was presented. */
  record Missing() implements AuthResult {}

  record Rejected(String reason) implements AuthResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
