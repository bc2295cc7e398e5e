package dev.aigis.core.guard.text;

import java.util.ArrayList;
import java.util.List;

/**
 * A text as the detectors see it.
 *
 * @param original the text as received
 * @param folded NFKC, invisible characters removed, combining marks dropped, look-alike letters
 *     folded to Latin, whitespace runs collapsed (a run holding a line break becomes one {@code \n},
 *     any other run one space); case is kept
 * @param decoded further texts derived from the input, each folded the same way: Unicode TAG
 *     (ASCII-smuggled) text, embedded base64/hex/URL-encoded payloads, and the de-spaced
 *     ({@code "i g n o r e"}) and de-leeted ({@code "1gn0r3"}) copies when they differ; empty for
 *     ordinary text
 */
public record NormalisedText(String original, String folded, List<String> decoded) {

  public NormalisedText {
    decoded = List.copyOf(decoded);
  }

  /** Every text a detector should scan: {@link #folded} first, then {@link #decoded}. */
  public List<String> scanTexts() {
    if (decoded.isEmpty()) {
      return List.of(folded);
    }
    List<String> all = new ArrayList<>(decoded.size() + 1);
    all.add(folded);
    all.addAll(decoded);
    return List.copyOf(all);
  }
}
