package dev.aigis.core.exchange;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.processing.ProcessedRequest;

/**
 * The pipeline's routing step, supplied by the front door: matches the request (as PreRouting
 * processors left it) once, records the route, backend and model on the context with
 * {@link ExchangeContext#routed}, and returns null; or returns the error the client gets
 * (404 model or route not found, 500 no usable backend), rendered in its format.
 */
@FunctionalInterface
public interface RoutingBarrier {

  GatewayError route(ProcessedRequest request);
}
