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

  /**
   * @param error when set and nothing has been written to the client yet (a whole, non-streamed
   *     answer), the client gets this error with its status instead of {@code finalBytes}
   */
  record End(byte[] finalBytes, String detail, dev.aigis.core.api.GatewayError error) implements ChunkVerdict {
    public End(byte[] finalBytes, String detail) {
      this(finalBytes, detail, null);
    }
  }

  static ChunkVerdict pass(ResponseChunk chunk) {
    return new Emit(List.of(chunk.bytes()));
  }
}
