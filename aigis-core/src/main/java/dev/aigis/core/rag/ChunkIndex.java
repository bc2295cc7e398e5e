package dev.aigis.core.rag;

import dev.aigis.core.embedding.VectorMatrix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chunks of a knowledge base with their unit-length embeddings ({@link VectorMatrix}), searched
 * by brute force: a dot product per chunk (cosine similarity), keeping the best {@code k}. At
 * knowledge-base scale (at most {@link KnowledgeIndexBuilder#MAX_CHUNKS} chunks of 384 floats) one
 * search is a few milliseconds
 * of one core, so it runs on a worker, never an event loop. Immutable; a rebuild makes a new one.
 */
public final class ChunkIndex {

  private final List<Chunk> chunks;
  private final VectorMatrix vectors;

  private ChunkIndex(List<Chunk> chunks, VectorMatrix vectors) {
    if (vectors.rows() != chunks.size()) {
      throw new IllegalArgumentException("one vector per chunk");
    }
    this.chunks = List.copyOf(chunks);
    this.vectors = vectors;
  }

  /** From chunks and their vectors, in the same order. */
  public static ChunkIndex of(List<Chunk> chunks, List<float[]> vectors) {
    return new ChunkIndex(chunks, VectorMatrix.of(vectors));
  }

  public int size() {
    return chunks.size();
  }

  public List<Chunk> chunks() {
    return chunks;
  }

  /** Embedding input → vector, for reusing the vectors of unchanged chunks in a rebuild. */
  Map<String, float[]> vectorsByText() {
    Map<String, float[]> byText = new HashMap<>(chunks.size() * 2);
    for (int i = 0; i < chunks.size(); i++) {
      byText.putIfAbsent(chunks.get(i).embeddingText(), vectors.row(i));
    }
    return byText;
  }

  /** The best {@code k} chunks scoring at least {@code minScore}, best first (ties by position). */
  public List<Retrieved> search(float[] query, int k, double minScore) {
    if (chunks.isEmpty()) {
      return List.of();
    }
    VectorMatrix.Nearest nearest = vectors.nearest(query, k, (float) minScore);
    List<Retrieved> hits = new ArrayList<>(nearest.count());
    for (int i = 0; i < nearest.count(); i++) {
      hits.add(Retrieved.of(chunks.get(nearest.rows()[i]), nearest.scores()[i]));
    }
    return hits;
  }
}
