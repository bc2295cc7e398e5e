package dev.aigis.core.guard.injection;

import dev.aigis.core.embedding.Embedder;
import dev.aigis.core.embedding.MiniLmEmbedder;
import dev.aigis.core.guard.TextScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The prompt-injection and jailbreak detector: normalise, run the signature rules and the trained
 * classifier, merge both into one probability with the model's combiner, flag at the model's
 * threshold. Signals name the classifier's own probability (when it leans to attack) and the ids
 * of the rules that fired, never text.
 *
 * <p>Blocking: one embedder run (a few milliseconds) plus linear scans; call it on a worker pool.
 * Thread-safe.
 */
public final class InjectionDetector implements TextScorer {

  private final PreparedText.Preparer preparer;
  private final InjectionClassifier classifier;
  private final InjectionModel model;

  /**
   * @param preparer normalisation and rules, the same the model was trained with
   * @param embedder the sentence embedder the model was trained with
   */
  public InjectionDetector(PreparedText.Preparer preparer, Embedder embedder, InjectionModel model) {
    this.preparer = preparer;
    this.classifier = new InjectionClassifier(embedder, model.features(), model.classifier());
    this.model = model;
  }

  /** The shipped model on the shared embedder with the standard normaliser and rules. */
  public static InjectionDetector shipped() {
    return new InjectionDetector(InjectionPreparer.standard(), MiniLmEmbedder.shared(), InjectionModel.shipped());
  }

  /** The combined score at or above which a text is flagged. */
  public double threshold() {
    return model.threshold();
  }

  @Override
  public Scored score(String text) {
    PreparedText prepared = preparer.prepare(text);
    double logit = classifier.logit(prepared.folded());
    double score = model.combiner().probability(logit, prepared.signatureScore(), !prepared.ruleIds().isEmpty());
    List<String> signals = new ArrayList<>(prepared.ruleIds().size() + 1);
    double classifierProbability = 1 / (1 + Math.exp(-logit));
    if (classifierProbability >= 0.5) {
      signals.add(String.format(Locale.ROOT, "classifier:%.2f", classifierProbability));
    }
    signals.addAll(prepared.ruleIds());
    return new Scored(score, score >= model.threshold(), signals);
  }
}
