package dev.aigis.core.processing;

import java.util.List;

/**
 * What the chain made of one response chunk: bytes to write now (possibly none, while a processor
 * holds chunks back), or the end of the stream. {@code End.finalBytes} holds everything still to be
 * written, in order: chunks that passed the whole chain in the same call, then the ending processor's
 * bytes (an error event); the data plane writes them and ends the response.
 */
public sealed interface ChunkOutcome {

  record Write(List<byte[]> chunks) implements ChunkOutcome {}

  /** {@code error} is set when a FailClosed failure ended it, so a front door that has not written the head yet can answer with the error's status instead. */
  record End(byte[] finalBytes, dev.aigis.core.api.GatewayError error) implements ChunkOutcome {
    public End(byte[] finalBytes) {
      this(finalBytes, null);
    }
  }
}
