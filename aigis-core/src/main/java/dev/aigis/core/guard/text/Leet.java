package dev.aigis.core.guard.text;

/**
 * Undoes simple leetspeak in words where a digit or symbol sits between two letters
 * ({@code "1gn0r3"}, {@code "pr3v10us"}, {@code "h4ck"}), leaving numbers, {@code "gpt4"} and
 * {@code "2nd"} alone so ordinary text rarely gets a copy at all.
 */
final class Leet {

  private Leet() {}

  /** The text with leet words spelled with letters, or null when there is none. */
  static String unleet(String text) {
    StringBuilder out = null;
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (!isWordChar(text.charAt(i))) {
        if (out != null) {
          out.append(text.charAt(i));
        }
        i++;
        continue;
      }
      int end = i;
      boolean leet = false;
      while (end < n && isWordChar(text.charAt(end))) {
        if (end > i && end + 1 < n && letter(text.charAt(end)) != 0
            && !Character.isLetter(text.charAt(end))
            && Character.isLetter(text.charAt(end - 1)) && Character.isLetter(text.charAt(end + 1))) {
          leet = true;
        }
        end++;
      }
      if (leet && out == null) {
        out = new StringBuilder(n);
        out.append(text, 0, i);
      }
      if (out != null) {
        for (int k = i; k < end; k++) {
          char c = text.charAt(k);
          char l = leet ? letter(c) : 0;
          out.append(l != 0 && !Character.isLetter(c) ? l : c);
        }
      }
      i = end;
    }
    return out == null ? null : out.toString();
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '@' || c == '$';
  }

  private static char letter(char c) {
    return switch (c) {
      case '0' -> 'o';
      case '1' -> 'i';
      case '3' -> 'e';
      case '4' -> 'a';
      case '5' -> 's';
      case '7' -> 't';
      case '8' -> 'b';
      case '9' -> 'g';
      case '@' -> 'a';
      case '$' -> 's';
      default -> Character.isLetter(c) ? c : 0;
    };
  }
}
