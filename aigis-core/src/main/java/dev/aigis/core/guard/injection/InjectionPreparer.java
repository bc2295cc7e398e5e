package dev.aigis.core.guard.injection;

import dev.aigis.core.guard.signature.SignatureHit;
import dev.aigis.core.guard.signature.SignatureSet;
import dev.aigis.core.guard.text.NormalisedText;
import dev.aigis.core.guard.text.TextNormaliser;
import java.util.List;
import java.util.Locale;

/**
 * The text preparation the shipped model was trained with: {@link TextNormaliser} (NFKC, invisible
 * characters, look-alike letters, decoded payloads), the signature scan over the folded text and
 * its decoded copies, and the folded text in lower case for the classifier.
 */
public final class InjectionPreparer {

  private InjectionPreparer() {}

  /** The shared normaliser and the default injection rules ({@link SignatureSet#INJECTION_RESOURCE}). */
  public static PreparedText.Preparer standard() {
    return with(SignatureSet.defaultInjection());
  }

  /**
   * The shared normaliser with another rule set (for example the defaults merged with an
   * operator's file). The combiner learned how much the default rules' score is worth; a set with
   * very different weights shifts the detector's operating point.
   */
  public static PreparedText.Preparer with(SignatureSet signatures) {
    TextNormaliser normaliser = TextNormaliser.shared();
    return text -> {
      NormalisedText normalised = normaliser.normalise(text);
      List<SignatureHit> hits = signatures.scan(normalised);
      return new PreparedText(normalised.folded().toLowerCase(Locale.ROOT), SignatureSet.score(hits),
          hits.stream().map(SignatureHit::ruleId).distinct().toList());
    };
  }
}
