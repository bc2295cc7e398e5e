package dev.aigis.core.cache;

import java.util.List;

/**
 * Nearest-neighbour search over unit vectors by cosine similarity, within a partition: what the
 * semantic tier looks up. Stays fast at 100k entries (an approximate graph index, not a scan).
 * Thread-safe; searches are CPU work and run off the event loop.
 */
public interface VectorIndex extends AutoCloseable {

  /** An in-memory HNSW index (Lucene); the memory store's index and each replica's local index. */
  static VectorIndex inMemory() {
    return new LuceneVectorIndex();
  }

  /** Adds (or replaces) {@code id} in {@code partition}. */
  void add(String id, String partition, float[] unitVector);

  void remove(String id);

  /** Up to {@code k} entries of {@code partition}, most similar first. */
  List<Neighbour> search(String partition, float[] unitVector, int k);

  int size();

  @Override
  void close();

  /** One search result. */
  record Neighbour(String id, double similarity) {}
}
