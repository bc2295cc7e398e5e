package dev.aigis.core.guard.pii;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/**
 * US social security numbers: {@code 123-45-6789}, with one kind of separator (dash, space or dot)
 * used twice, or nine digits in one piece when "SSN" or "social security" precedes them closely.
 * Numbers the SSA never issues are rejected: area 000, 666 or 900-999, group 00, serial 0000, and
 * one digit repeated.
 */
final class SsnRecognizer implements Recognizer {

  private static final Pattern DELIMITED = Pattern.compile("\\d{3}[- .]\\d{2}[- .]\\d{4}");
  private static final Pattern PLAIN = Pattern.compile("\\d{9}");
  private static final List<String> CONTEXT = List.of("ssn", "ssns", "social security", "social-security");
  private static final int CONTEXT_CHARS = 40;

  @Override
  public void find(String text, List<PiiMatch> out) {
    Matcher m = DELIMITED.matcher(text);
    while (m.find()) {
      String s = m.group();
      if (s.charAt(3) == s.charAt(6) && alone(text, m.start(), m.end()) && valid(Chars.digitsOf(s))) {
        out.add(new PiiMatch(PiiEntity.US_SSN, m.start(), m.end()));
      }
    }
    m = PLAIN.matcher(text);
    while (m.find()) {
      if (alone(text, m.start(), m.end()) && valid(m.group())
          && Chars.contextHas(text, m.start(), CONTEXT_CHARS, CONTEXT)) {
        out.add(new PiiMatch(PiiEntity.US_SSN, m.start(), m.end()));
      }
    }
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
