package dev.aigis.core.processing;

/**
 * A piece of a response body handed to processors: one complete SSE event (raw bytes, terminating
 * blank line included) for event streams, or a raw chunk otherwise. {@code endOfStream} marks the
 * last call, whose {@code bytes} may be empty.
 */
public record ResponseChunk(byte[] bytes, boolean sseEvent, boolean endOfStream) {}
