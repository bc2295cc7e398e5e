package dev.aigis.core.processing;

import dev.aigis.core.api.GatewayError;

/**
 * What a request or response-headers pass of a {@link ProcessingChain} decided: go on with the
 * (possibly mutated) message, answer the client with a processor's immediate response, or fail the
 * exchange with an error rendered in the caller's API shape.
 */
public sealed interface ChainOutcome {

  Proceed PROCEED = new Proceed();

  record Proceed() implements ChainOutcome {}

  record Respond(Verdict.Immediate response) implements ChainOutcome {}

  /** @param headers extra response headers (a 429's {@code Retry-After}); empty for most errors */
  record Fail(GatewayError error, java.util.Map<String, java.util.List<String>> headers) implements ChainOutcome {
    public Fail {
      headers = headers == null ? java.util.Map.of() : java.util.Map.copyOf(headers);
    }

    public Fail(GatewayError error) {
      this(error, java.util.Map.of());
    }
  }
}
