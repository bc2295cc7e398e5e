package dev.aigis.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The default {@link ResponseCacheStore}: entries in a Caffeine cache (each expires at its own
 * {@code expiresAtMillis} on the injected clock; over {@code maxEntries} Caffeine evicts by its
 * size policy), the exact tier as a map from key to entry id, the semantic tier in a
 * {@link VectorIndex}. Removal from Caffeine (expiry, eviction, replacement) removes the entry from
 * the index and the exact map, synchronously, so the three never disagree for long; a lookup also
 * checks liveness itself, so an entry past its time is never served even before Caffeine notices.
 */
final class MemoryCacheStore implements ResponseCacheStore {

  /** Neighbours fetched per search: the nearest may have just expired. */
  private static final int CANDIDATES = 4;

  private final Cache<String, CacheEntry> entries;
  private final ConcurrentMap<String, String> exactIds = new ConcurrentHashMap<>();
  private final VectorIndex index;

  MemoryCacheStore(long maxEntries, InstantSource clock, VectorIndex index) {
    this.index = index;
    this.entries = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .ticker(() -> clock.millis() * 1_000_000L)
        .executor(Runnable::run)
        .expireAfter(new Expiry<String, CacheEntry>() {
          @Override
          public long expireAfterCreate(String id, CacheEntry entry, long now) {
            long expiresAt = entry.expiresAtMillis() >= Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE
                : entry.expiresAtMillis() * 1_000_000L;
            return Math.max(0, expiresAt == Long.MAX_VALUE ? Long.MAX_VALUE : expiresAt - now);
          }

          @Override
          public long expireAfterUpdate(String id, CacheEntry entry, long now, long current) {
            return expireAfterCreate(id, entry, now);
          }

          @Override
          public long expireAfterRead(String id, CacheEntry entry, long now, long current) {
            return current;
          }
        })
        .removalListener((String id, CacheEntry entry, RemovalCause cause) -> {
          if (id != null && entry != null && cause != RemovalCause.REPLACED) {
            index.remove(id);
            exactIds.remove(entry.exactKey(), id);
          }
        })
        .build();
  }

  /** Adjusts the size bound of a store kept across a reload that changed it. */
  void maximum(long maxEntries) {
    entries.policy().eviction().ifPresent(eviction -> eviction.setMaximum(maxEntries));
  }

  @Override
  public CompletionStage<CacheEntry> exact(String exactKey, long nowMillis) {
    String id = exactIds.get(exactKey);
    CacheEntry entry = id == null ? null : entries.getIfPresent(id);
    return CompletableFuture.completedFuture(entry != null && entry.liveAt(nowMillis) ? entry : null);
  }

  @Override
  public CompletionStage<SemanticMatch> nearest(String partition, float[] vector, double minSimilarity, long nowMillis) {
    for (VectorIndex.Neighbour neighbour : index.search(partition, vector, CANDIDATES)) {
      if (neighbour.similarity() < minSimilarity) {
        break;
      }
      CacheEntry entry = entries.getIfPresent(neighbour.id());
      // The index searches one partition, unfiltered when it holds only one; a racing write may
      // still show another partition's entry, which is never served.
      if (entry != null && entry.liveAt(nowMillis) && entry.partition().equals(partition)) {
        return CompletableFuture.completedFuture(new SemanticMatch(entry, neighbour.similarity()));
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> put(CacheEntry entry) {
    String previous = exactIds.put(entry.exactKey(), entry.id());
    if (previous != null && !previous.equals(entry.id())) {
      entries.invalidate(previous); // one entry per exact key: the newer answer wins
      exactIds.put(entry.exactKey(), entry.id());
    }
    if (entry.vector() != null) {
      index.add(entry.id(), entry.partition(), entry.vector());
    }
    entries.put(entry.id(), entry.withoutVector());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  @Override
  public void close() {
    entries.invalidateAll();
    index.close();
  }
}
