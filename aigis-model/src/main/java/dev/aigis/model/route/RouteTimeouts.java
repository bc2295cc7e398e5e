package dev.aigis.model.route;

import java.time.Duration;

/**
 * Gateway API HTTPRouteTimeouts: {@code request} bounds the whole exchange (first request byte to
 * last response byte), {@code backendRequest} the wait for one upstream's response headers. Zero or
 * null means no timeout.
 */
public record RouteTimeouts(Duration request, Duration backendRequest) {}
