package dev.aigis.core.processing;

import java.util.List;

/**
 * A processor's answer to one response chunk: what to pass on now. {@code Emit} with an empty list
 * holds the chunk back (bounded by {@link ProcessorNeeds#holdBackEvents}); a later call may emit
 * held chunks together. {@code End} stops the stream: for an SSE stream the client receives
 * {@code finalBytes} (a well-formed error event) and the stream ends.
 */
public sealed interface ChunkVerdict {

  record Emit(List<byte[]> chunks) implements ChunkVerdict {}

  record End(byte[] finalBytes, String detail) implements ChunkVerdict {}

  static ChunkVerdict pass(ResponseChunk chunk) {
    return new Emit(List.of(chunk.bytes()));
  }
}
