package dev.aigis.core.cache;

import dev.aigis.core.guard.classify.LogisticRegression;

/**
 * Decides whether a cached question is a paraphrase of the one asked, once the vector index found
 * it above the similarity threshold: a logistic model over the cosine and the word-level features
 * of {@link ParaphraseFeatures}, trained by {@code aigis cache train} (resource
 * {@value #RESOURCE}, with the data file, folds, seed and threshold in its metadata).
 *
 * @param model null: the cosine threshold alone decides
 * @param threshold the least probability that counts as a paraphrase
 * @param similarity the least cosine similarity a candidate must have (the shipped default of
 *     {@code semantic.threshold})
 */
public record ParaphraseCheck(LogisticRegression model, double threshold, double similarity) {

  public static final String RESOURCE = "dev/aigis/core/cache/paraphrase-model.json";

  private static final class Shipped {
    static final ParaphraseCheck INSTANCE = load();

    private static ParaphraseCheck load() {
      LogisticRegression model = LogisticRegression.fromResource(RESOURCE);
      return new ParaphraseCheck(model, number(model, "threshold"), number(model, "similarity"));
    }

    private static double number(LogisticRegression model, String key) {
      Object value = model.meta().get(key);
      if (!(value instanceof Number n)) {
        throw new IllegalStateException(RESOURCE + " has no numeric meta." + key);
      }
      return n.doubleValue();
    }
  }

  /** The shipped model and thresholds. */
  public static ParaphraseCheck shipped() {
    return Shipped.INSTANCE;
  }

  /** Only the cosine decides (no word-level check). */
  public static ParaphraseCheck cosineOnly(double similarity) {
    return new ParaphraseCheck(null, 0, similarity);
  }

  /** The same check with another similarity floor ({@code semantic.threshold}). */
  public ParaphraseCheck withSimilarity(double floor) {
    return new ParaphraseCheck(model, threshold, floor);
  }

  /** The probability that {@code asked} means what {@code cached} meant; 1 without a model. */
  public double score(String cached, String asked, double cosine) {
    if (model == null) {
      return 1;
    }
    if (cached == null || asked == null) {
      return 0; // an entry without its question cannot be checked word by word
    }
    return model.probability(ParaphraseFeatures.of(cached, asked, cosine));
  }

  public boolean accepts(String cached, String asked, double cosine) {
    return cosine >= similarity && score(cached, asked, cosine) >= threshold;
  }
}
