package dev.aigis.core.backend;

import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenUsage;

/**
 * Turns one successful upstream answer into what the client receives, incrementally: bytes in
 * the backend's framing in, complete events (or body chunks) in the client's format out. Created
 * per answer; holds the stream's state; not thread-safe.
 */
public interface ResponseDecoder {

  /** Bytes of the upstream body, cut anywhere. A broken stream or a provider error inside it throws. */
  void bytes(byte[] chunk, EventSink out) throws TranslationException;

  /** The upstream body ended; emits what is left. Throws when it ended before its proper end. */
  void end(EventSink out) throws TranslationException;

  /** Usage as known so far (complete after {@link #end}), or null. */
  TokenUsage usage();

  /** Whether what it emits are SSE events (else body chunks). */
  boolean events();

  /** The client's content type when the decoder sets one (translation), or null to keep the upstream's. */
  String contentType();

  /**
   * Whether it emits every chunk exactly as received (native non-streamed answers): then a front
   * door without response processors may write the upstream's buffers itself and hand the decoder
   * only the last {@link dev.aigis.core.usage.UsageTail#CAPACITY} bytes of each chunk, with a sink
   * that ignores them, saving two copies per chunk.
   */
  default boolean passesThrough() {
    return false;
  }
}
