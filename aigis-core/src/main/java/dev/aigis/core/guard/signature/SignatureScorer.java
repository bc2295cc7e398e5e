package dev.aigis.core.guard.signature;

import dev.aigis.core.guard.TextScorer;
import dev.aigis.core.guard.text.TextNormaliser;
import java.util.List;
import java.util.function.Supplier;

/**
 * Signatures as a {@link TextScorer}: normalise, scan, {@link SignatureSet#score}; signals are the
 * ids of the rules that fired. The set is read from a supplier on every call, so a
 * {@link ReloadingSignatures} can stand behind it. Thread-safe, blocking.
 */
public final class SignatureScorer implements TextScorer {

  /** The shipped decision threshold: one rule of weight ≥ 0.5, or two weaker ones together. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  private final TextNormaliser normaliser;
  private final Supplier<SignatureSet> signatures;
  private final double threshold;

  public SignatureScorer(TextNormaliser normaliser, Supplier<SignatureSet> signatures, double threshold) {
    this.normaliser = normaliser;
    this.signatures = signatures;
    this.threshold = threshold;
  }

  /** The shipped injection rules at the default threshold. */
  public static SignatureScorer defaultInjection() {
    SignatureSet set = SignatureSet.defaultInjection();
    return new SignatureScorer(TextNormaliser.shared(), () -> set, DEFAULT_THRESHOLD);
  }

  @Override
  public Scored score(String text) {
    List<SignatureHit> hits = signatures.get().scan(normaliser.normalise(text));
    double score = SignatureSet.score(hits);
    return new Scored(score, score >= threshold, hits.stream().map(SignatureHit::ruleId).toList());
  }
}
