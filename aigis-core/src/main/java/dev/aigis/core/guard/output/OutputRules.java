package dev.aigis.core.guard.output;

import dev.aigis.core.guard.signature.RuleFileException;
import dev.aigis.core.guard.signature.SignatureHit;
import dev.aigis.core.guard.signature.SignatureSet;
import dev.aigis.core.guard.text.TextNormaliser;
import java.util.List;

/**
 * The output filter's category rules ({@code guard/output-rules.yaml}, the guard rule format of
 * {@link SignatureSet}) over text as {@link TextNormaliser} sees it. Line breaks become spaces
 * before matching: an answer's step list spans lines, and a rule's {@code .{0,80}} should reach
 * across them. Immutable and thread-safe; blocking CPU work (regex).
 */
final class OutputRules {

  private final SignatureSet set;

  OutputRules(SignatureSet set) {
    this.set = set;
  }

  /** A shipped rule file; a broken one is a build defect, hence unchecked. */
  static OutputRules fromResource(String name) {
    try {
      return new OutputRules(SignatureSet.resource(name));
    } catch (RuleFileException e) {
      throw new IllegalStateException("shipped rule file " + name + " is broken: " + e.getMessage(), e);
    }
  }

  /** The rules that match {@code text} (or a payload decoded from it), in file order. */
  List<SignatureHit> match(String text) {
    return set.scan(TextNormaliser.shared().normalise(text).scanTexts().stream()
        .map(t -> t.replace('\n', ' ').replace('\u2019', '\''))
        .toList());
  }

  /** The hits' combined weight, {@code 1 − Π(1 − weight)} ({@link SignatureSet#score}). */
  static double weight(List<SignatureHit> hits) {
    return SignatureSet.score(hits);
  }
}
