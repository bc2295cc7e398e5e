package dev.aigis.server.cache;

import dev.aigis.core.cache.VectorIndex;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This replica's view of a shared cache: the local vector index of every live entry the stream
 * announced, keyed by exact key (a newer put of the same request replaces the older in place), and
 * per key the entry id, partition and expiry, so expired entries leave without a Redis call.
 *
 * <p>The index mirrors Redis's own bound: the put script evicts the stream's oldest entries past
 * {@code maxEntries} (with their hashes), and {@link #apply} drops the same ones here, in the same
 * order. Entries Redis lost otherwise (its own eviction, a restart) leave when a lookup finds them
 * missing ({@link #drop}).
 *
 * <p>Threads: {@link #apply}, {@link #sweep} and {@link #clear} run on the store's follower thread
 * only (the order queue is its own); {@link #candidates} and {@link #drop} run on any thread. Each
 * key's map entry and index entry change together, under the map's per-key lock.
 */
final class LocalIndex implements AutoCloseable {

  /** What this replica knows of an indexed entry. */
  record Indexed(String id, String partition, long expiresAtMillis) {}

  /** A semantic candidate: the key to read from Redis, what was indexed, its similarity. */
  record Candidate(String exactKey, Indexed indexed, double similarity) {}

  private record Applied(String exactKey, String id) {}

  private final VectorIndex index;
  private final long maxEntries;
  private final ConcurrentHashMap<String, Indexed> byKey = new ConcurrentHashMap<>();
  private final ArrayDeque<Applied> order = new ArrayDeque<>();

  LocalIndex(VectorIndex index, long maxEntries) {
    this.index = index;
    this.maxEntries = Math.max(1, maxEntries);
  }

  /** One stream entry, in stream order. An expired entry, or one without a vector, is counted but not indexed. */
  void apply(String id, String exactKey, String partition, float[] vector, long expiresAtMillis, long nowMillis) {
    order.addLast(new Applied(exactKey, id));
    if (vector != null && expiresAtMillis > nowMillis) {
      Indexed indexed = new Indexed(id, partition, expiresAtMillis);
      byKey.compute(exactKey, (key, old) -> {
        if (old != null && !old.partition().equals(partition)) {
          index.remove(key);
        }
        index.add(key, partition, vector);
        return indexed;
      });
    } else {
      byKey.computeIfPresent(exactKey, (key, old) -> {
        index.remove(key);
        return null;
      });
    }
    while (order.size() > maxEntries) {
      Applied oldest = order.pollFirst();
      byKey.computeIfPresent(oldest.exactKey(), (key, current) -> {
        if (!current.id().equals(oldest.id())) {
          return current; // replaced by a newer put of the same request, which stays
        }
        index.remove(key);
        return null;
      });
    }
  }

  /**
   * The live entries of {@code partition} at least {@code minSimilarity} close to {@code vector},
   * most similar first, at most {@code k}. Expired ones met on the way are dropped.
   */
  List<Candidate> candidates(String partition, float[] vector, double minSimilarity, int k, long nowMillis) {
    List<Candidate> candidates = new ArrayList<>(k);
    for (VectorIndex.Neighbour neighbour : index.search(partition, vector, k)) {
      if (neighbour.similarity() < minSimilarity) {
        break;
      }
      Indexed indexed = byKey.get(neighbour.id());
      if (indexed == null || !indexed.partition().equals(partition)) {
        continue;
      }
      if (indexed.expiresAtMillis() <= nowMillis) {
        drop(neighbour.id(), indexed);
        continue;
      }
      candidates.add(new Candidate(neighbour.id(), indexed, neighbour.similarity()));
    }
    return candidates;
  }

  /** Removes {@code exactKey} if it is still the entry {@code seen} (a newer put since stays). */
  void drop(String exactKey, Indexed seen) {
    byKey.computeIfPresent(exactKey, (key, current) -> {
      if (current != seen) {
        return current;
      }
      index.remove(key);
      return null;
    });
  }

  /** Drops every expired entry; returns how many. */
  int sweep(long nowMillis) {
    int dropped = 0;
    for (var entry : byKey.entrySet()) {
      if (entry.getValue().expiresAtMillis() <= nowMillis) {
        drop(entry.getKey(), entry.getValue());
        dropped++;
      }
    }
    return dropped;
  }

  /** Forgets everything, before the stream is read again from its start. */
  void clear() {
    for (var entry : byKey.entrySet()) {
      drop(entry.getKey(), entry.getValue());
    }
    order.clear();
  }

  int size() {
    return byKey.size();
  }

  @Override
  public void close() {
    index.close();
  }
}
