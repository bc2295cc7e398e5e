package dev.aigis.core.embedding;

import java.util.concurrent.CompletionStage;

/**
 * Sentence embeddings for everything in the gateway that needs them (guards, the semantic cache),
 * computed off the event loop on the service's own bounded pool, with recent vectors cached and
 * identical texts that wait at the same time run once.
 *
 * <p>{@link #embed} never blocks and may be called from an event loop: it only looks up the cache
 * for short texts and queues the request. When the queue is full the stage fails at once with
 * {@link dev.aigis.core.exchange.Workers.Saturated}, which the processor chain maps to the
 * processor's failure mode; nothing queues without bound. Stages complete on the service's worker
 * threads (or at once, on the caller's, for a cache hit): continue heavy work elsewhere.
 *
 * <p>Every vector is the {@link Embedder}'s for that text alone: texts are never padded into one
 * tensor (see {@link MiniLmEmbedder#embedAll}), so a vector does not depend on which requests
 * shared a batch or whether it came from the cache. Each caller gets its own copy of the array.
 */
public interface EmbeddingService extends AutoCloseable {

  /** The unit-length embedding of {@code text}, or a failed stage (saturated, closed, model error). */
  CompletionStage<float[]> embed(String text);

  /** The length of every vector. */
  int dimension();

  /**
   * This service as a blocking {@link Embedder}, for detectors written against that interface: they
   * then share the cache, the de-duplication and the bounded pool. Its calls block until the
   * vectors are ready, so they belong on a worker pool like any {@code Embedder} call, never on
   * this service's own threads; a full queue throws {@link dev.aigis.core.exchange.Workers.Saturated}.
   */
  Embedder asEmbedder();

  /** Fails every waiting and running request with {@link IllegalStateException} and stops the workers. */
  @Override
  void close();

  /** Starts a service's worker threads (daemon threads named {@code aigis-embedding-N}). */
  static EmbeddingService start(Embedder embedder, EmbeddingSettings settings, EmbeddingObserver observer) {
    return new BatchingEmbeddingService(embedder, settings, observer);
  }
}
