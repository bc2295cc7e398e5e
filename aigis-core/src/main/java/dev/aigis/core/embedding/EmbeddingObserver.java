package dev.aigis.core.embedding;

/**
 * What an {@link EmbeddingService} reports, for metrics. Called on the service's workers and on
 * the threads that call {@link EmbeddingService#embed}, so implementations must be thread-safe and
 * cheap. Nothing here carries a text.
 */
public interface EmbeddingObserver {

  EmbeddingObserver NONE = new EmbeddingObserver() {};

  /** One model run (one text) took {@code nanos}, failed runs included. */
  default void ran(long nanos) {}

  /** A worker took {@code requests} waiting requests at once. */
  default void batch(int requests) {}

  /** Requests waiting for a worker, sampled whenever one is queued or taken. */
  default void queueDepth(int waiting) {}

  /**
   * A request was answered without a model run of its own ({@code hit}: a cached vector, or an
   * identical text already running), or caused one ({@code !hit}).
   */
  default void cache(boolean hit) {}

  /** A request was refused because the queue was full. */
  default void rejected() {}
}
