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

  record Fail(GatewayError error) implements ChainOutcome {}
}
