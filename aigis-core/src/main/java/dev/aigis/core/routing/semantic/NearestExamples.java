package dev.aigis.core.routing.semantic;

import dev.aigis.core.embedding.VectorMatrix;
import java.util.Arrays;
import java.util.List;

/**
 * The route classifier: the k examples nearest to a query (cosine similarity of unit-length
 * embeddings, an exact scan) vote for their labels with weight {@code similarity^8}, and the
 * winner's confidence is the mean similarity of its {@code support} closest examples among those k
 * (a missing one counts as 0). Out-of-scope examples vote like a route; when they win, no route is
 * taken. Chosen over class centroids and a trained softmax head (with and without a hidden layer),
 * which were measured on CLINC150 and separated out-of-scope requests worse; the numbers are in
 * docs/semantic-parts/routing.md.
 *
 * <p>Immutable and thread-safe; {@link #classify} is CPU work (about 7 M multiply-adds for 18,000
 * examples), so it runs on a worker pool, never on an event loop.
 */
public final class NearestExamples {

  /** The label of out-of-scope examples. */
  public static final int OUT_OF_SCOPE = -1;
  /** Sharpens votes towards the closest examples: a 0.9 neighbour outweighs five at 0.7. */
  static final double VOTE_POWER = 8;
  static final int MAX_SUPPORT = 3;

  /** The winning label ({@link #OUT_OF_SCOPE} or a route index) and its confidence, 0..1. */
  public record Classification(int label, double confidence) {}

  private final VectorMatrix vectors;
  private final int[] labels;
  private final int labelCount;
  private final int neighbours;
  private final int support;

  /**
   * @param vectors unit-length, all of one dimension
   * @param labels per vector: a route index in {@code 0..labelCount-1} or {@link #OUT_OF_SCOPE}
   * @param neighbours k, how many nearest examples vote
   */
  public NearestExamples(List<float[]> vectors, int[] labels, int labelCount, int neighbours) {
    if (vectors.isEmpty() || vectors.size() != labels.length) {
      throw new IllegalArgumentException("one label per example vector, and at least one example");
    }
    this.vectors = VectorMatrix.of(vectors);
    this.labels = labels.clone();
    this.labelCount = labelCount;
    this.neighbours = Math.min(neighbours, labels.length);
    int[] counts = new int[labelCount];
    for (int label : labels) {
      if (label != OUT_OF_SCOPE) {
        counts[label]++;
      }
    }
    int fewest = Arrays.stream(counts).filter(c -> c > 0).min().orElse(1);
    // A route described by one sentence cannot have three close examples; do not hold that against it.
    this.support = Math.max(1, Math.min(MAX_SUPPORT, Math.min(fewest, this.neighbours)));
  }

  public int size() {
    return labels.length;
  }

  public Classification classify(float[] query) {
    VectorMatrix.Nearest found = vectors.nearest(query, neighbours, Float.NEGATIVE_INFINITY);
    int k = found.count();
    int[] nearest = found.rows();
    float[] similarity = found.scores();
    // Index labelCount holds the out-of-scope votes.
    double[] votes = new double[labelCount + 1];
    for (int j = 0; j < k; j++) {
      int label = labels[nearest[j]];
      votes[label == OUT_OF_SCOPE ? labelCount : label] += Math.pow(Math.max(similarity[j], 0), VOTE_POWER);
    }
    int winner = 0;
    for (int c = 1; c <= labelCount; c++) {
      if (votes[c] > votes[winner]) {
        winner = c;
      }
    }
    int label = winner == labelCount ? OUT_OF_SCOPE : winner;
    double sum = 0;
    int taken = 0;
    for (int j = 0; j < k && taken < support; j++) { // nearest first
      if (labels[nearest[j]] == label) {
        sum += Math.max(similarity[j], 0);
        taken++;
      }
    }
    return new Classification(label, Math.min(1, sum / support));
  }
}
