package dev.aigis.core.rag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chunks of a knowledge base with their unit-length embeddings in one row-major float matrix,
 * searched by brute force: a dot product per chunk (cosine similarity, the vectors being unit
 * length), keeping the best {@code k}. At knowledge-base scale (at most
 * {@link KnowledgeIndexBuilder#MAX_CHUNKS} chunks of 384 floats) one search is a few milliseconds
 * of one core, so it runs on a worker, never an event loop. Immutable; a rebuild makes a new one.
 */
public final class ChunkIndex {

  private final List<Chunk> chunks;
  private final float[] matrix;
  private final int dimension;

  ChunkIndex(List<Chunk> chunks, float[] matrix, int dimension) {
    if (matrix.length != chunks.size() * dimension) {
      throw new IllegalArgumentException("matrix size does not match the chunks");
    }
    this.chunks = List.copyOf(chunks);
    this.matrix = matrix;
    this.dimension = dimension;
  }

  /** From chunks and their vectors, in the same order. */
  public static ChunkIndex of(List<Chunk> chunks, List<float[]> vectors) {
    int dimension = vectors.isEmpty() ? 0 : vectors.getFirst().length;
    float[] matrix = new float[chunks.size() * dimension];
    for (int i = 0; i < vectors.size(); i++) {
      System.arraycopy(vectors.get(i), 0, matrix, i * dimension, dimension);
    }
    return new ChunkIndex(chunks, matrix, dimension);
  }

  public int size() {
    return chunks.size();
  }

  public List<Chunk> chunks() {
    return chunks;
  }

  /** The vector of chunk {@code i} (a copy). */
  float[] vector(int i) {
    float[] vector = new float[dimension];
    System.arraycopy(matrix, i * dimension, vector, 0, dimension);
    return vector;
  }

  /** Embedding input → vector, for reusing the vectors of unchanged chunks in a rebuild. */
  Map<String, float[]> vectorsByText() {
    Map<String, float[]> byText = new HashMap<>(chunks.size() * 2);
    for (int i = 0; i < chunks.size(); i++) {
      byText.putIfAbsent(chunks.get(i).embeddingText(), vector(i));
    }
    return byText;
  }

  /**
   * Row {@code offset}'s dot product with {@code query}. Four running sums: one sum is a chain of
   * dependent additions the JIT may not reorder (floating point), four let the CPU overlap them.
   */
  private float dot(int offset, float[] query) {
    float a = 0;
    float b = 0;
    float c = 0;
    float e = 0;
    int d = 0;
    for (; d + 3 < dimension; d += 4) {
      a += matrix[offset + d] * query[d];
      b += matrix[offset + d + 1] * query[d + 1];
      c += matrix[offset + d + 2] * query[d + 2];
      e += matrix[offset + d + 3] * query[d + 3];
    }
    for (; d < dimension; d++) {
      a += matrix[offset + d] * query[d];
    }
    return (a + b) + (c + e);
  }

  /** The best {@code k} chunks scoring at least {@code minScore}, best first (ties by position). */
  public List<Retrieved> search(float[] query, int k, double minScore) {
    if (chunks.isEmpty()) {
      return List.of();
    }
    if (query.length != dimension) {
      throw new IllegalArgumentException("query has " + query.length + " dimensions, the index " + dimension);
    }
    int[] best = new int[k];
    float[] scores = new float[k];
    int found = 0;
    for (int row = 0, offset = 0; row < chunks.size(); row++, offset += dimension) {
      float dot = dot(offset, query);
      if (dot < minScore || (found == k && dot <= scores[k - 1])) {
        continue;
      }
      // Insertion into the sorted top-k (k is small).
      int at = found < k ? found++ : k - 1;
      while (at > 0 && scores[at - 1] < dot) {
        scores[at] = scores[at - 1];
        best[at] = best[at - 1];
        at--;
      }
      scores[at] = dot;
      best[at] = row;
    }
    List<Retrieved> hits = new ArrayList<>(found);
    for (int i = 0; i < found; i++) {
      hits.add(Retrieved.of(chunks.get(best[i]), scores[i]));
    }
    return hits;
  }
}
