package dev.aigis.core.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The lookup both tiers make, shared by the ResponseCache processor and {@code aigis cache eval}
 * (so what the evaluation measures is what the gateway does): the exact tier by key, the semantic
 * tier by the nearest cached question in the partition above the similarity floor, confirmed by
 * the {@link ParaphraseCheck}.
 *
 * <p>{@link #semantic} searches the vector index: CPU work, for a worker thread.
 */
public final class CacheLookup {

  /** A served answer: which tier found it and how similar its question was (1 for exact). */
  public record Hit(CacheEntry entry, String tier, double similarity) {}

  private final ResponseCacheStore store;
  private final ParaphraseCheck check;

  public CacheLookup(ResponseCacheStore store, ParaphraseCheck check) {
    this.store = store;
    this.check = check;
  }

  public ResponseCacheStore store() {
    return store;
  }

  public ParaphraseCheck check() {
    return check;
  }

  /** The live entry stored under the request's exact key, or null. */
  public CompletionStage<Hit> exact(CacheKeys.Keys keys, long nowMillis) {
    return store.exact(keys.exactKey(), nowMillis).thenApply(entry -> entry == null ? null : new Hit(entry, "exact", 1.0));
  }

  /** The nearest live entry of the partition if it is a paraphrase of the question, or null. */
  public CompletionStage<Hit> semantic(CacheKeys.Keys keys, float[] vector, long nowMillis) {
    if (keys.question() == null || vector == null) {
      return CompletableFuture.completedFuture(null);
    }
    return store.nearest(keys.partition(), vector, check.similarity(), nowMillis).thenApply(match -> {
      if (match == null || !check.accepts(match.entry().question(), keys.question(), match.similarity())) {
        return null;
      }
      return new Hit(match.entry(), "semantic", match.similarity());
    });
  }
}
