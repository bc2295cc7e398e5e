package dev.aigis.core.guard;

import java.util.List;

/**
 * A detector as the evaluation command and the guard processor see it: a text in, a score and a
 * decision out. Blocking and possibly CPU-heavy (embeddings): call it off the event loop.
 */
@FunctionalInterface
public interface TextScorer {

  Scored score(String text);

  /**
   * @param score higher means more likely a hit; comparable across texts (a probability for the
   *     trained detectors)
   * @param flagged the decision at the detector's shipped threshold
   * @param signals what fired, for explanations and audit: rule ids, {@code classifier}, entity
   *     types; never the matched text
   */
  record Scored(double score, boolean flagged, List<String> signals) {
    public Scored {
      signals = List.copyOf(signals);
    }
  }
}
