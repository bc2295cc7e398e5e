package dev.aigis.core.guard.injection;

import dev.aigis.core.embedding.Embedder;
import dev.aigis.core.guard.classify.LogisticRegression;

/**
 * The trained half of the injection detector: {@link InjectionFeatures} of a folded text (one
 * embedded window plus lexical features of the whole text) into a logistic regression. Blocking
 * (one embedder run, a few milliseconds); thread-safe when the embedder is.
 */
public final class InjectionClassifier {

  private final Embedder embedder;
  private final InjectionFeatures features;
  private final LogisticRegression model;

  public InjectionClassifier(Embedder embedder, InjectionFeatures features, LogisticRegression model) {
    int expected = features.size(embedder.dimension());
    if (model.features() != expected) {
      throw new IllegalArgumentException("model has " + model.features() + " weights, features give " + expected);
    }
    this.embedder = embedder;
    this.features = features;
    this.model = model;
  }

  /** The log-odds that {@code folded} (the normaliser's folded text) is an attack. */
  public double logit(String folded) {
    float[] embedding = embedder.embed(features.window(folded));
    return model.logit(features.assemble(embedding, features.lexical(folded)));
  }

  public InjectionFeatures features() {
    return features;
  }
}
