package dev.aigis.core.processing;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A piece of a response body handed to processors: one complete SSE event (raw bytes in the
 * client's format, terminating blank line included) for event streams, or a raw chunk otherwise.
 * {@code endOfStream} marks the last call, whose {@code bytes} may be empty. {@code pivot} is the
 * event as an OpenAI {@code chat.completion.chunk} (or a whole {@code chat.completion}) for model
 * answers of every provider, native or translated (see {@code ResponseDecoder#withPivots}), else
 * null; it is read-only: processors change what the client gets through the bytes they emit.
 */
public record ResponseChunk(byte[] bytes, boolean sseEvent, boolean endOfStream, ObjectNode pivot) {

  public ResponseChunk(byte[] bytes, boolean sseEvent, boolean endOfStream) {
    this(bytes, sseEvent, endOfStream, null);
  }
}
