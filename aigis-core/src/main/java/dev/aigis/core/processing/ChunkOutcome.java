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

  record End(byte[] finalBytes) implements ChunkOutcome {}
}
