package dev.aigis.core.guard.pii;

import java.util.List;

/**
 * US social security numbers: {@code 123-45-6789}, with one kind of separator (dash, space or dot)
 * used twice, or nine digits in one piece when "SSN" or "social security" precedes them closely.
 * Numbers the SSA never issues are rejected: area 000, 666 or 900-999, group 00, serial 0000, and
 * one digit repeated.
 */
final class SsnRecognizer implements Recognizer {

  private static final List<String> CONTEXT = List.of("ssn", "ssns", "social security", "social-security");
  private static final int CONTEXT_CHARS = 40;

  @Override
  public void find(String text, List<PiiMatch> out) {
    // a scan over digit runs: cheaper than running RE2J's automaton from every position
    int n = text.length();
    for (int i = 0; i < n; i++) {
      if (!Chars.isDigit(text.charAt(i)) || (i > 0 && Chars.isDigit(text.charAt(i - 1)))) {
        continue;
      }
      if (i + 11 <= n && delimited(text, i) && alone(text, i, i + 11)
          && valid(Chars.digitsOf(text.substring(i, i + 11)))) {
        out.add(new PiiMatch(PiiEntity.US_SSN, i, i + 11));
      } else if (i + 9 <= n && digits(text, i, 9) && alone(text, i, i + 9) && valid(text.substring(i, i + 9))
          && Chars.contextHas(text, i, CONTEXT_CHARS, CONTEXT)) {
        out.add(new PiiMatch(PiiEntity.US_SSN, i, i + 9));
      }
    }
  }

  /** {@code ddd?dd?dddd} with one separator (dash, space or dot) used twice. */
  private static boolean delimited(String text, int i) {
    char sep = text.charAt(i + 3);
    return (sep == '-' || sep == ' ' || sep == '.') && text.charAt(i + 6) == sep
        && digits(text, i, 3) && digits(text, i + 4, 2) && digits(text, i + 7, 4);
  }

  private static boolean digits(String text, int from, int count) {
    for (int k = from; k < from + count; k++) {
      if (!Chars.isDigit(text.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  private static boolean alone(String text, int start, int end) {
    return Chars.standsAlone(text, start, end) && Chars.notJoined(text, start, end)
        && !(start >= 2 && text.charAt(start - 1) == ' ' && Chars.isDigit(text.charAt(start - 2))
            && text.charAt(start + 3) == ' ') // part of a longer space-separated number
        && !(end + 1 < text.length() && text.charAt(end) == ' ' && Chars.isDigit(text.charAt(end + 1))
            && text.charAt(end - 5) == ' ');
  }

  static boolean valid(String digits) {
    int area = Integer.parseInt(digits, 0, 3, 10);
    int group = Integer.parseInt(digits, 3, 5, 10);
    int serial = Integer.parseInt(digits, 5, 9, 10);
    return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0 && !Chars.allSame(digits);
  }
}
