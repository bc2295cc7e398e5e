package dev.aigis.core.embedding;

import java.util.List;

/**
 * Turns text into a unit-length sentence embedding (cosine similarity is then a dot product).
 * Blocking and CPU-heavy: call it on a worker pool, never on an event loop. Thread-safe.
 */
public interface Embedder {

  /** The length of every vector this embedder returns. */
  int dimension();

  /** The most word pieces of a text that are read; the rest is cut off. */
  int maxTokens();

  /** One text's embedding, L2-normalised. */
  default float[] embed(String text) {
    return embedAll(List.of(text)).getFirst();
  }

  /** Several texts' embeddings, in order; each L2-normalised and the same as {@link #embed} of that text. */
  List<float[]> embedAll(List<String> texts);

  /** Cosine similarity of two unit vectors. */
  static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot;
  }
}
