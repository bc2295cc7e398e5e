package dev.aigis.core.cache;

import java.util.concurrent.CompletionStage;

/**
 * Where a ResponseCache processor keeps its answers: in this process's memory (the default) or in
 * Redis, shared by every replica, each of which keeps a local vector index in sync. A store is
 * opened once per cache and outlives configuration reloads, so reloading never empties it.
 *
 * <p>Thread-safe. {@link #nearest} searches a vector index, which is CPU work: callers run it on
 * the exchange's worker pool, never on an event loop. The returned stages complete on any thread.
 */
public interface ResponseCacheStore extends AutoCloseable {

  /** A store in this process's memory with its own HNSW index (the default store, and evaluation's). */
  static ResponseCacheStore memory(long maxEntries, java.time.InstantSource clock) {
    return new MemoryCacheStore(maxEntries, clock, VectorIndex.inMemory());
  }

  /** The live entry stored under {@code exactKey}, or null. */
  CompletionStage<CacheEntry> exact(String exactKey, long nowMillis);

  /**
   * The live entry in {@code partition} whose vector is most similar to {@code vector} (unit
   * length), if its cosine similarity is at least {@code minSimilarity}; else null.
   */
  CompletionStage<SemanticMatch> nearest(String partition, float[] vector, double minSimilarity, long nowMillis);

  /** Stores {@code entry}; a store over its size bound evicts its oldest entries. */
  CompletionStage<Void> put(CacheEntry entry);

  /** Entries this replica holds in its index (for metrics). */
  long size();

  @Override
  void close();
}
