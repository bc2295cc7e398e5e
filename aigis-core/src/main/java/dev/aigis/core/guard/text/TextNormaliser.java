package dev.aigis.core.guard.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a prompt or response into the texts detectors scan, so an evasion meets the same
 * detectors as the plain text: {@code "іgnоrе"} (Cyrillic), {@code "ig\u200Bnore"},
 * {@code "ｉｇｎｏｒｅ"}, {@code "i g n o r e"}, {@code "1gn0r3"}, Unicode TAG smuggling and
 * base64/hex/URL-encoded payloads all fold or decode to {@code "ignore"}.
 *
 * <p>Steps for {@link NormalisedText#folded()}: TAG characters (U+E0000–U+E007F) removed; NFKC;
 * format characters (Cf: zero-width, bidi controls, soft hyphen, BOM), variation selectors,
 * private-use, unassigned and surrogate code points, Hangul fillers and combining diacritical
 * marks removed (so {@code "ïgnörè"} and "zalgo" text fold to plain letters); look-alike letters
 * folded to Latin ({@link Homoglyphs}); whitespace and control runs collapsed. Case is kept.
 *
 * <p>{@link NormalisedText#decoded()} gets, each folded the same way and only when present: the
 * ASCII text smuggled in TAG characters; embedded payloads ({@link EmbeddedPayloads}); a
 * de-spaced copy where runs of four or more single letters with one separator between them
 * ({@code "i g n o r e"}, {@code "i.g.n.o.r.e"}) are joined; a de-leeted copy where words with a
 * digit or {@code @ $} between two letters ({@code "pr3v10us"}) get letters back.
 *
 * <p>Cost is linear in the input; {@code decoded} holds at most three times the input's length
 * (payloads at most once, the two copies at most once each). Stateless and thread-safe; blocking
 * CPU work, so call it off the event loop.
 */
public final class TextNormaliser {

  private static final TextNormaliser SHARED = new TextNormaliser();

  /** The shared instance (the class holds no state). */
  public static TextNormaliser shared() {
    return SHARED;
  }

  public NormalisedText normalise(String text) {
    StringBuilder tags = new StringBuilder();
    String visible = removeTags(text, tags);
    String stripped = strip(visible);
    String folded = fold(stripped);

    Set<String> decoded = new LinkedHashSet<>();
    String tagText = tags.isEmpty() ? null : fold(strip(tags.toString()));
    if (tagText != null && !tagText.isEmpty()) {
      decoded.add(tagText);
    }
    List<String> sources = tagText == null ? List.of(folded) : List.of(folded, tagText);
    for (String payload : EmbeddedPayloads.decode(sources, text.length())) {
      decoded.add(fold(strip(payload)));
    }
    String despaced = despace(stripped);
    if (despaced != null) {
      decoded.add(fold(despaced));
    }
    String unleeted = Leet.unleet(folded);
    if (unleeted != null) {
      decoded.add(unleeted);
    }
    decoded.remove(folded);
    decoded.remove("");
    return new NormalisedText(text, folded, new ArrayList<>(decoded));
  }

  /** Removes TAG characters; the printable ones are appended to {@code tags} as ASCII. */
  private static String removeTags(String text, StringBuilder tags) {
    if (!hasTags(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    boolean inRun = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp >= 0xE0000 && cp <= 0xE007F) {
        if (cp >= 0xE0020 && cp <= 0xE007E) {
          tags.append((char) (cp - 0xE0000));
          inRun = true;
        }
        continue;
      }
      if (inRun) {
        tags.append('\n');
        inRun = false;
      }
      out.appendCodePoint(cp);
    }
    return out.toString();
  }

  private static boolean hasTags(String text) {
    // TAG characters are encoded as the surrogate pair U+DB40 U+DC00..U+DC7F.
    for (int i = 0; i + 1 < text.length(); i++) {
      if (text.charAt(i) == '\uDB40' && text.charAt(i + 1) >= '\uDC00' && text.charAt(i + 1) <= '\uDC7F') {
        return true;
      }
    }
    return false;
  }

  /** NFKC without invisible characters and combining diacritics. */
  static String strip(String text) {
    if (isAscii(text)) {
      return text; // ASCII is NFKC-stable and holds no format characters or marks
    }
    // NFKC is NFKD followed by canonical composition; dropping marks in between removes accents.
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
    StringBuilder out = null;
    for (int i = 0; i < decomposed.length(); ) {
      int cp = decomposed.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (invisible(cp)) {
        if (out == null) {
          out = new StringBuilder(decomposed.length());
          out.append(decomposed, 0, i);
        }
      } else if (out != null) {
        out.appendCodePoint(cp);
      }
      i = next;
    }
    String kept = out == null ? decomposed : out.toString();
    return Normalizer.normalize(kept, Normalizer.Form.NFC);
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static boolean invisible(int cp) {
    if (cp < 0x80) {
      return false;
    }
    if ((cp >= 0x0300 && cp <= 0x036F) // combining diacritical marks (incl. grapheme joiner)
        || (cp >= 0x1AB0 && cp <= 0x1AFF)
        || (cp >= 0x1DC0 && cp <= 0x1DFF)
        || (cp >= 0x20D0 && cp <= 0x20FF)
        || (cp >= 0xFE20 && cp <= 0xFE2F)
        || (cp >= 0xFE00 && cp <= 0xFE0F) // variation selectors
        || (cp >= 0xE0100 && cp <= 0xE01EF)
        || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0) { // Hangul fillers
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.FORMAT, Character.PRIVATE_USE, Character.UNASSIGNED, Character.SURROGATE ->
          true;
      default -> false;
    };
  }

  /** Folds look-alike letters word by word and collapses whitespace runs. */
  static String fold(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isLetter(c)) {
        int end = i + 1;
        while (end < n && Character.isLetter(text.charAt(end))) {
          end++;
        }
        Homoglyphs.appendWord(text, i, end, out);
        i = end;
      } else if (isSpace(c)) {
        boolean newline = false;
        while (i < n && isSpace(text.charAt(i))) {
          newline |= text.charAt(i) == '\n' || text.charAt(i) == '\r';
          i++;
        }
        if (!out.isEmpty() && i < n) {
          out.append(newline ? '\n' : ' ');
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c);
  }

  /**
   * Joins letter-spaced words: four or more single letters each separated by exactly one
   * separator character. A wider gap ends the word, so {@code "i g n o r e   a l l"} becomes
   * {@code "ignore all"}. Returns null when there is no such run.
   */
  static String despace(String text) {
    StringBuilder out = null;
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (singleLetterAt(text, i)) {
        int j = i;
        int count = 1;
        while (j + 2 < n && isLetterSeparator(text.charAt(j + 1)) && singleLetterAt(text, j + 2)) {
          j += 2;
          count++;
        }
        if (count >= 4) {
          if (out == null) {
            out = new StringBuilder(n);
            out.append(text, 0, i);
          }
          for (int k = i; k <= j; k += 2) {
            out.append(text.charAt(k));
          }
          i = j + 1;
          continue;
        }
      }
      if (out != null) {
        out.append(text.charAt(i));
      }
      i++;
    }
    return out == null ? null : out.toString();
  }

  private static boolean singleLetterAt(String text, int i) {
    return Character.isLetter(text.charAt(i))
        && (i == 0 || !Character.isLetter(text.charAt(i - 1)))
        && (i + 1 == text.length() || !Character.isLetter(text.charAt(i + 1)));
  }

  private static boolean isLetterSeparator(char c) {
    return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' || c == '|' || c == '/'
        || c == '\u00B7';
  }
}
