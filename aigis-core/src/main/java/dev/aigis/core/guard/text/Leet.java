package dev.aigis.core.guard.text;

/**
 * Undoes simple leetspeak in words where a run of digits or symbols sits between two letters
 * ({@code "1gn0r3"}, {@code "pr3v10us"}, {@code "h4ck"}), leaving numbers, {@code "gpt4"}, {@code "2nd"},
 * long tokens and mixed-case ones (base64, identifiers) alone so ordinary text rarely gets a copy at all.
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
        if (isLeet(text.charAt(end))) {
          // A run of leet characters with a letter on each side: "pr3v10us", "1nstruct10ns".
          int run = end;
          while (run < n && isLeet(text.charAt(run))) {
            run++;
          }
          leet |= end > i && Character.isLetter(text.charAt(end - 1))
              && run < n && Character.isLetter(text.charAt(run));
          end = run;
        } else {
          end++;
        }
      }
      leet &= end - i <= 24 && !mixedCase(text, i, end);
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

  /** Base64 and identifiers mix cases inside a word; leetspeak words rarely do. */
  private static boolean mixedCase(String text, int start, int end) {
    boolean upper = false;
    boolean lower = false;
    for (int k = start + 1; k < end; k++) {
      char c = text.charAt(k);
      upper |= Character.isUpperCase(c);
      lower |= Character.isLowerCase(c);
    }
    return upper && lower;
  }

  private static boolean isLeet(char c) {
    return !Character.isLetter(c) && letter(c) != 0;
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
