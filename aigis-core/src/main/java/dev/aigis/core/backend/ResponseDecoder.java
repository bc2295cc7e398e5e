package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
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

  /**
   * What the upstream broke of its API's promise in an answer this decoder passed on unchanged (an
   * event that does not parse, a stream without its terminal event), for the front door to count
   * and log; null when nothing. Only native decoders pass a broken answer on: translating ones
   * throw, since they cannot translate what does not parse.
   */
  default String violation() {
    return null;
  }

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

  /**
   * This decoder, emitting with each event its pivot (the OpenAI {@code chat.completion.chunk} it
   * amounts to) where it can: for response processors, so they read one shape whatever the
   * provider. Parsing every event costs, so a front door asks only when processors look at bodies;
   * it asks before the first bytes. Decoders that translate emit pivots anyway and return themselves.
   */
  default ResponseDecoder withPivots() {
    return this;
  }

  /**
   * The pivot (an OpenAI {@code chat.completion}) of a whole non-streamed answer this decoder
   * passed on, for processors that buffer it; null when the answer has none (not a model call, not
   * JSON). A piece of a body has no pivot, so this is asked only of the whole.
   */
  default ObjectNode pivotOfWhole(byte[] body) {
    return null;
  }
}
