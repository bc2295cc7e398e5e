package dev.aigis.core.guard.signature;

/**
 * An upper bound on the length (in UTF-16 units) of any match of an RE2 pattern, or -1 when
 * matches are unbounded ({@code *}, {@code +}, {@code {n,}}) or the pattern uses syntax this
 * reader does not follow. Each character-matching atom other than an ASCII literal counts 2, as it
 * may match a surrogate pair. Used to scan only a window after each place a match can start.
 */
final class MaxLength {

  private final String pattern;
  private int i;

  private MaxLength(String pattern) {
    this.pattern = pattern;
  }

  static int of(String pattern) {
    try {
      MaxLength reader = new MaxLength(pattern);
      long max = reader.alternation();
      return reader.i == pattern.length() && max >= 0 && max < 100_000 ? (int) max : -1;
    } catch (RuntimeException unknown) {
      return -1;
    }
  }

  private long alternation() {
    long max = sequence();
    while (i < pattern.length() && pattern.charAt(i) == '|') {
      i++;
      long next = sequence();
      max = max < 0 || next < 0 ? -1 : Math.max(max, next);
    }
    return max;
  }

  private long sequence() {
    long total = 0;
    while (i < pattern.length() && pattern.charAt(i) != '|' && pattern.charAt(i) != ')') {
      long atom = quantified(atom());
      total = total < 0 || atom < 0 ? -1 : total + atom;
    }
    return total;
  }

  private long atom() {
    char c = pattern.charAt(i);
    switch (c) {
      case '(' -> {
        i++;
        if (pattern.startsWith("?", i)) {
          int close = pattern.indexOf(')', i);
          int colon = pattern.indexOf(':', i);
          if (colon >= 0 && colon < close) {
            i = colon + 1;
          } else if (pattern.startsWith("?P<", i) || pattern.startsWith("?<", i)) {
            i = pattern.indexOf('>', i) + 1;
          } else {
            i = close + 1; // flags only: zero width
            return 0;
          }
        }
        long inner = alternation();
        if (i >= pattern.length() || pattern.charAt(i) != ')') {
          throw new IllegalArgumentException("unclosed group");
        }
        i++;
        return inner;
      }
      case '[' -> {
        int k = i + 1;
        if (k < pattern.length() && pattern.charAt(k) == '^') {
          k++;
        }
        if (k < pattern.length() && pattern.charAt(k) == ']') {
          k++;
        }
        while (pattern.charAt(k) != ']') {
          k += pattern.charAt(k) == '\\' ? 2 : 1;
        }
        i = k + 1;
        return 2;
      }
      case '\\' -> {
        char e = pattern.charAt(i + 1);
        i += 2;
        if ("bBAz".indexOf(e) >= 0) {
          return 0;
        }
        if (e == 'Q' || Character.isDigit(e)) {
          throw new IllegalArgumentException("not followed");
        }
        if ((e == 'p' || e == 'P' || e == 'x') && i < pattern.length() && pattern.charAt(i) == '{') {
          i = pattern.indexOf('}', i) + 1;
        } else if (e == 'p' || e == 'P') {
          i++;
        } else if (e == 'x') {
          i += 2;
        }
        return 2;
      }
      case '^', '$' -> {
        i++;
        return 0;
      }
      default -> {
        i++;
        return c < 0x80 && c != '.' ? 1 : 2;
      }
    }
  }

  private long quantified(long atom) {
    if (i >= pattern.length()) {
      return atom;
    }
    char q = pattern.charAt(i);
    long result;
    if (q == '?') {
      i++;
      result = atom;
    } else if (q == '*' || q == '+') {
      i++;
      result = -1;
    } else if (q == '{' && isRepeat()) {
      int close = pattern.indexOf('}', i);
      String[] bounds = pattern.substring(i + 1, close).split(",", -1);
      i = close + 1;
      String upper = bounds.length == 1 ? bounds[0] : bounds[1];
      result = upper.isEmpty() || atom < 0 ? -1 : atom * Integer.parseInt(upper.strip());
    } else {
      return atom;
    }
    if (i < pattern.length() && pattern.charAt(i) == '?') {
      i++; // lazy
    }
    return atom < 0 ? -1 : result;
  }

  private boolean isRepeat() {
    int close = pattern.indexOf('}', i);
    return close > i && pattern.substring(i + 1, close).matches("\\d+(,\\d*)?");
  }
}
