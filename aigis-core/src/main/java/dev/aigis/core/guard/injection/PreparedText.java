package dev.aigis.core.guard.injection;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/**
 * A text as both halves of the detector read it: the folded form the classifier's features are
 * computed on, and the signature rules' verdict.
 *
 * @param folded normalised text for the classifier
 * @param signatureScore the rule set's combined score, 0 when nothing fired
 * @param ruleIds ids of the rules that fired, for signals
 */
public record PreparedText(String folded, double signatureScore, List<String> ruleIds) {

  public PreparedText {
    ruleIds = List.copyOf(ruleIds);
  }

  /** Turns a raw text into a {@link PreparedText}; blocking, linear in the text. */
  @FunctionalInterface
  public interface Preparer {
    PreparedText prepare(String text);

    /** Unicode compatibility folding and lower case only, no rules: a baseline for experiments. */
    static Preparer foldOnly() {
      return text -> new PreparedText(
          Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT), 0, List.of());
    }
  }
}
