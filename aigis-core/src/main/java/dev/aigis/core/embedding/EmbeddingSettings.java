package dev.aigis.core.embedding;

/**
 * How an {@link EmbeddingService} runs: its own threads and queue, so that embedding load cannot
 * starve the gateway's other worker-pool users, and a cache of recent vectors.
 *
 * @param threads worker threads, each running the model on one text at a time (the model's own
 *     intra-op threads come on top; {@link MiniLmEmbedder#shared()} uses one)
 * @param queueSize requests that may wait for a worker; one more fails at once with
 *     {@link dev.aigis.core.exchange.Workers.Saturated}
 * @param batchSize the most waiting requests a worker takes at once; identical texts among them
 *     run once
 * @param cacheEntries recent embeddings kept (about 1.6 KB each for 384 dimensions); 0 turns the
 *     cache off
 */
public record EmbeddingSettings(int threads, int queueSize, int batchSize, int cacheEntries) {

  public static final int DEFAULT_QUEUE_SIZE = 1024;
  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final int DEFAULT_CACHE_ENTRIES = 10_000;

  public EmbeddingSettings {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (queueSize < 1) {
      throw new IllegalArgumentException("queueSize must be at least 1, got " + queueSize);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    if (cacheEntries < 0) {
      throw new IllegalArgumentException("cacheEntries must not be negative, got " + cacheEntries);
    }
  }

  /** One thread per available processor, a queue of 1024, batches of 32, 10,000 cached vectors. */
  public static EmbeddingSettings defaults() {
    return new EmbeddingSettings(Runtime.getRuntime().availableProcessors(), DEFAULT_QUEUE_SIZE,
        DEFAULT_BATCH_SIZE, DEFAULT_CACHE_ENTRIES);
  }

  public EmbeddingSettings withThreads(int threads) {
    return new EmbeddingSettings(threads, queueSize, batchSize, cacheEntries);
  }

  public EmbeddingSettings withQueueSize(int queueSize) {
    return new EmbeddingSettings(threads, queueSize, batchSize, cacheEntries);
  }

  public EmbeddingSettings withBatchSize(int batchSize) {
    return new EmbeddingSettings(threads, queueSize, batchSize, cacheEntries);
  }

  public EmbeddingSettings withCacheEntries(int cacheEntries) {
    return new EmbeddingSettings(threads, queueSize, batchSize, cacheEntries);
  }
}
