package dev.aigis.core.embedding;

import java.util.List;

/**
 * Unit-length vectors of one dimension in one row-major float array, searched by an exact scan:
 * a dot product per row (cosine similarity, the rows being unit length), keeping the best
 * {@code k}. What a router's examples and a knowledge base's chunks are searched with; a scan of
 * tens of thousands of rows is milliseconds of one core, so callers run it on a worker.
 * Immutable and thread-safe.
 */
public final class VectorMatrix {

  private final float[] values;
  private final int rows;
  private final int dimension;

  private VectorMatrix(float[] values, int rows, int dimension) {
    this.values = values;
    this.rows = rows;
    this.dimension = dimension;
  }

  /** @throws IllegalArgumentException when the rows are not all of one dimension */
  public static VectorMatrix of(List<float[]> rows) {
    int dimension = rows.isEmpty() ? 0 : rows.getFirst().length;
    float[] values = new float[rows.size() * dimension];
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).length != dimension) {
        throw new IllegalArgumentException("row " + i + " has " + rows.get(i).length + " dimensions, not " + dimension);
      }
      System.arraycopy(rows.get(i), 0, values, i * dimension, dimension);
    }
    return new VectorMatrix(values, rows.size(), dimension);
  }

  public int rows() {
    return rows;
  }

  public int dimension() {
    return dimension;
  }

  /** Row {@code i} (a copy). */
  public float[] row(int i) {
    float[] row = new float[dimension];
    System.arraycopy(values, i * dimension, row, 0, dimension);
    return row;
  }

  /** The best rows of a search, best first: {@code rows[0..count)} with their {@code scores}. */
  public record Nearest(int[] rows, float[] scores, int count) {}

  /**
   * The {@code k} rows most similar to {@code query} among those scoring at least {@code floor},
   * best first (ties by position).
   *
   * @throws IllegalArgumentException when {@code query} has another dimension
   */
  public Nearest nearest(float[] query, int k, float floor) {
    if (query.length != dimension) {
      throw new IllegalArgumentException("query has " + query.length + " dimensions, the rows " + dimension);
    }
    int[] best = new int[k];
    float[] scores = new float[k];
    int found = 0;
    for (int row = 0, offset = 0; row < rows; row++, offset += dimension) {
      float dot = dot(offset, query);
      if (dot < floor || (found == k && dot <= scores[k - 1])) {
        continue;
      }
      // Insertion into the sorted top k (k is small).
      int at = found < k ? found++ : k - 1;
      while (at > 0 && scores[at - 1] < dot) {
        scores[at] = scores[at - 1];
        best[at] = best[at - 1];
        at--;
      }
      scores[at] = dot;
      best[at] = row;
    }
    return new Nearest(best, scores, found);
  }

  /**
   * The row at {@code offset} dotted with {@code query}. Four running sums: one sum is a chain of
   * dependent additions the JIT may not reorder (floating point), four let the CPU overlap them.
   */
  private float dot(int offset, float[] query) {
    float a = 0;
    float b = 0;
    float c = 0;
    float e = 0;
    int d = 0;
    for (; d + 3 < dimension; d += 4) {
      a += values[offset + d] * query[d];
      b += values[offset + d + 1] * query[d + 1];
      c += values[offset + d + 2] * query[d + 2];
      e += values[offset + d + 3] * query[d + 3];
    }
    for (; d < dimension; d++) {
      a += values[offset + d] * query[d];
    }
    return (a + b) + (c + e);
  }
}
