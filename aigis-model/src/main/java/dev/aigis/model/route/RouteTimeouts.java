package dev.aigis.model.route;

import java.time.Duration;

/** Gateway API HTTPRouteTimeouts: {@code request} bounds the whole exchange, {@code backendRequest} one upstream try. */
public record RouteTimeouts(Duration request, Duration backendRequest) {}
