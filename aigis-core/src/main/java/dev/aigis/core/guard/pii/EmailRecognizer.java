package dev.aigis.core.guard.pii;

import java.util.List;

/**
 * Addresses in the common ASCII form: a local part of up to 64 of {@code A-Z a-z 0-9 . _ % + -}, an
 * {@code @}, and a domain of dot-separated labels (letters, digits, inner dashes, up to 63 each)
 * ending in a 2 to 24 letter top-level label. Found from each {@code @} outwards by a scan: the
 * equivalent RE2J pattern, with its bounded repeats, costs about 0.5 ms per 2 KB.
 */
final class EmailRecognizer implements Recognizer {

  @Override
  public void find(String text, List<PiiMatch> out) {
    int at = text.indexOf('@');
    while (at >= 0) {
      int start = at;
      while (start > 0 && at - start < 64 && localChar(text.charAt(start - 1))) {
        start--;
      }
      while (start < at && text.charAt(start) == '.') { // a sentence's full stop before the address
        start++;
      }
      int end = domainEnd(text, at + 1);
      if (start < at && end > 0) {
        out.add(new PiiMatch(PiiEntity.EMAIL_ADDRESS, start, end));
        at = text.indexOf('@', end);
      } else {
        at = text.indexOf('@', at + 1);
      }
    }
  }

  private static boolean localChar(char c) {
    return ascii(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  private static boolean ascii(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || Chars.isDigit(c);
  }

  /** End of the longest domain from {@code from} whose last label is a top-level one; -1 if none. */
  private static int domainEnd(String text, int from) {
    int n = text.length();
    int p = from;
    int labels = 0;
    int best = -1;
    while (p < n && ascii(text.charAt(p))) {
      int s = p;
      boolean letters = true;
      while (p < n && p - s < 63 && (ascii(text.charAt(p)) || text.charAt(p) == '-')) {
        letters &= Character.isLetter(text.charAt(p));
        p++;
      }
      if (text.charAt(p - 1) == '-') {
        break;
      }
      labels++;
      if (labels >= 2 && letters && p - s >= 2 && p - s <= 24 && (p == n || !Chars.isWordChar(text.charAt(p)))) {
        best = p;
      }
      if (p + 1 < n && text.charAt(p) == '.' && ascii(text.charAt(p + 1))) {
        p++;
      } else {
        break;
      }
    }
    return best;
  }
}
