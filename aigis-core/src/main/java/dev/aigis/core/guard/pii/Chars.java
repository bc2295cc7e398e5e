package dev.aigis.core.guard.pii;

/** Character tests shared by the recognizers' boundary checks. */
final class Chars {

  private Chars() {}

  static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Whether {@code text[start, end)} does not continue a word or a number on either side. */
  static boolean standsAlone(String text, int start, int end) {
    return (start == 0 || !isWordChar(text.charAt(start - 1)))
        && (end == text.length() || !isWordChar(text.charAt(end)));
  }

  /**
   * Whether the number at {@code text[start, end)} is not part of a longer one joined by a dash,
   * dot or slash ({@code 1-853-37-1694}, {@code 853-37-1694.5}).
   */
  static boolean notJoined(String text, int start, int end) {
    if (start >= 2 && isJoiner(text.charAt(start - 1)) && isDigit(text.charAt(start - 2))) {
      return false;
    }
    return end + 1 >= text.length() || !isJoiner(text.charAt(end)) || !isDigit(text.charAt(end + 1));
  }

  private static boolean isJoiner(char c) {
    return c == '-' || c == '.' || c == '/';
  }

  static String digitsOf(CharSequence s) {
    var sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      if (isDigit(s.charAt(i))) {
        sb.append(s.charAt(i));
      }
    }
    return sb.toString();
  }

  static boolean allSame(String digits) {
    for (int i = 1; i < digits.length(); i++) {
      if (digits.charAt(i) != digits.charAt(0)) {
        return false;
      }
    }
    return true;
  }

  /** Whether any of {@code words} ends within {@code window} chars before {@code at}, lower-cased. */
  static boolean contextHas(String text, int at, int window, java.util.List<String> words) {
    String before = text.substring(Math.max(0, at - window), at).toLowerCase(java.util.Locale.ROOT);
    for (String w : words) {
      int i = before.indexOf(w);
      while (i >= 0) {
        boolean startOk = i == 0 || !Character.isLetter(before.charAt(i - 1));
        int e = i + w.length();
        boolean endOk = e == before.length() || !Character.isLetter(before.charAt(e));
        if (startOk && endOk) {
          return true;
        }
        i = before.indexOf(w, i + 1);
      }
    }
    return false;
  }
}
