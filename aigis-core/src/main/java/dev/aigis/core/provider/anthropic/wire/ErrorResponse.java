package dev.aigis.core.provider.anthropic.wire;

/** A non-2xx answer's body: {@code {"type":"error","error":{"type":...,"message":...}}}. */
public record ErrorResponse(String type, ErrorDetail error) {}
