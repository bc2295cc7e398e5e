package dev.aigis.server.proxy;

import dev.aigis.core.usage.TokenUsage;

/**
 * What is known about one finished request, for metrics and the access log. {@code caller} is the
 * authenticated identity's name (an API key's name, a JWT subject), never a credential; null when
 * no AccessPolicy authenticated the request. {@code upstreamViolation} is what a native upstream
 * broke of its API's promise in an answer passed on unchanged (a fixed description, no content), or null.
 * {@code routeReason} is a SemanticRoute's {@code x-aigis-route-reason} (configured route names and a
 * confidence, never client text), or null.
 */
record ExchangeRecord(
    long startEpochMillis,
    String requestId,
    String method,
    String path,
    int status,
    long durationNanos,
    long ttftNanos,
    String route,
    String backend,
    String model,
    String operation,
    boolean stream,
    int upstreamStatus,
    TokenUsage usage,
    long bytesIn,
    long bytesOut,
    String errorCode,
    String caller,
    String upstreamViolation,
    String guardrails,
    String routeReason) {}
