package dev.aigis.core.guard.pii;

import java.util.List;

/**
 * The outcome of redacting one text.
 *
 * @param text the text with every match replaced (also when blocked, so it is safe to keep)
 * @param found the matches in the original text, sorted; types and offsets only, which is what
 *     callers may log
 * @param blocked whether an entity whose action is {@link PiiAction#BLOCK} was found: the caller
 *     refuses the text (400 for a request)
 */
public record Redaction(String text, List<PiiMatch> found, boolean blocked) {

  public Redaction {
    found = List.copyOf(found);
  }

  /** The first blocking entity type, for the refusal's reason; null when not blocked. */
  public PiiEntity blockedBy(PiiPolicy policy) {
    for (PiiMatch m : found) {
      if (policy.actions().get(m.entity()) == PiiAction.BLOCK) {
        return m.entity();
      }
    }
    return null;
  }
}
