package dev.aigis.core.guard.signature;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Literal words a pattern's matches must contain, read from the pattern's top-level groups of
 * plain alternatives: {@code \b(ignore|disregard)\b[^.]{0,40}\b(previous|prior)\b} needs one of
 * {@code ignore, disregard} and one of {@code previous, prior}. RE2J has no literal-prefix
 * acceleration for such patterns and runs its NFA over every character; checking the lower-cased
 * text for the words first (vectorised {@code indexOf}) skips most patterns on most texts, and
 * when the first group opens the pattern the search starts at its first occurrence.
 *
 * <p>Only required elements are read (a group followed by {@code ?}, {@code *} or {@code {0,} is
 * skipped, as are character classes, escapes and anything not understood), and each alternative
 * contributes its literal prefix, so the filter can only skip texts the pattern cannot match: it
 * never changes a result. A pattern with a top-level {@code |} gets no filter.
 */
final class Prefilter {

  private static final Prefilter ALWAYS = new Prefilter(List.of(), false, List.of(), -1);

  /** Each group: one of its words must occur. */
  private final List<Group> groups;
  /** Whether the first group starts every match, so the search can start at its occurrence. */
  private final boolean anchoredFirst;
  /** For a pattern with top-level {@code |}: one filter per branch, any may pass. */
  private final List<Prefilter> branches;
  /** {@link MaxLength} of the pattern, or -1. */
  private final int maxLength;

  private record Group(String[] words, boolean wordStart) {}

  private Prefilter(List<Group> groups, boolean anchoredFirst, List<Prefilter> branches, int maxLength) {
    this.groups = groups;
    this.anchoredFirst = anchoredFirst;
    this.branches = branches;
    this.maxLength = maxLength;
  }

  static Prefilter of(String pattern) {
    try {
      List<String> branches = topLevelBranches(pattern);
      if (branches.size() == 1) {
        Prefilter filter = read(pattern);
        return filter.always()
            ? ALWAYS
            : new Prefilter(filter.groups, filter.anchoredFirst, List.of(), MaxLength.of(pattern));
      }
      List<Prefilter> filters = new ArrayList<>();
      for (String branch : branches) {
        Prefilter filter = read(branch);
        if (filter.always()) {
          return ALWAYS;
        }
        filters.add(filter);
      }
      return new Prefilter(List.of(), false, List.copyOf(filters), -1);
    } catch (RuntimeException unreadable) {
      return ALWAYS;
    }
  }

  /** Whether the pattern runs on every text. */
  boolean always() {
    return groups.isEmpty() && branches.isEmpty();
  }

  private static List<String> topLevelBranches(String pattern) {
    List<String> branches = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int k = 0; k < pattern.length(); k++) {
      char c = pattern.charAt(k);
      if (c == '\\') {
        k++;
      } else if (c == '[') {
        k = classEnd(pattern, k);
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth == 0) {
        branches.add(pattern.substring(start, k));
        start = k + 1;
      }
    }
    branches.add(pattern.substring(start));
    return branches;
  }

  /**
   * Where to start searching {@code text}, or -1 when no match is possible.
   *
   * @param lower {@code text} lower-cased with {@link Locale#ROOT}
   */
  int start(String text, String lower) {
    if (!branches.isEmpty()) {
      int first = -1;
      for (Prefilter branch : branches) {
        int at = branch.start(text, lower);
        if (at >= 0 && (first < 0 || at < first)) {
          first = at;
        }
      }
      return first;
    }
    int first = 0;
    for (int g = 0; g < groups.size(); g++) {
      int at = firstOccurrence(groups.get(g), lower);
      if (at < 0) {
        return -1;
      }
      if (g == 0 && anchoredFirst) {
        first = at;
      }
    }
    // Lower-casing can change lengths (rare after NFKC); positions then do not carry over.
    return lower.length() == text.length() ? first : 0;
  }

  /**
   * Whether {@code pattern} (the one this filter was read from) matches {@code text}. When every
   * match must start at an occurrence of the first group's words and has a bounded length, only
   * a window after each occurrence is searched (with one character of context either side, and a
   * match must leave the right-hand context character unconsumed, so word-boundary assertions see
   * the real neighbours); windows stop paying once they add up to the rest of the text, and then
   * one ordinary search runs instead.
   */
  boolean matches(Pattern pattern, String text, String lower) {
    int start = start(text, lower);
    if (start < 0) {
      return false;
    }
    if (!anchoredFirst || maxLength < 0 || lower.length() != text.length()) {
      return pattern.matcher(text).find(start);
    }
    Group first = groups.getFirst();
    int n = text.length();
    int budget = n - start;
    for (String word : first.words) {
      int from = 0;
      int at;
      while ((at = lower.indexOf(word, from)) >= 0) {
        from = at + 1;
        if (first.wordStart && at > 0 && isWordChar(lower.charAt(at - 1))) {
          continue;
        }
        int lo = Math.max(0, at - 1);
        int hi = Math.min(n, at + maxLength + 1);
        budget -= hi - lo;
        if (budget < 0) {
          return pattern.matcher(text).find(start);
        }
        Matcher matcher = pattern.matcher(text.substring(lo, hi));
        if (matcher.find(at - lo) && (hi == n || matcher.end() < hi - lo)) {
          return true;
        }
      }
    }
    return false;
  }

  private static int firstOccurrence(Group group, String lower) {
    int first = -1;
    for (String word : group.words) {
      int from = 0;
      int at;
      while ((at = lower.indexOf(word, from)) >= 0) {
        if (!group.wordStart || at == 0 || !isWordChar(lower.charAt(at - 1))) {
          break;
        }
        from = at + 1;
      }
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    }
    return first;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static Prefilter read(String pattern) {
    int n = pattern.length();
    List<Group> groups = new ArrayList<>();
    boolean anchoredFirst = false;
    boolean atStart = true;
    boolean afterWordBoundary = false;
    int i = 0;
    while (i < n) {
      char c = pattern.charAt(i);
      if (c == '|') {
        return ALWAYS; // top-level alternation: nothing is required
      }
      if (c == '\\') {
        char e = i + 1 < n ? pattern.charAt(i + 1) : 0;
        afterWordBoundary = e == 'b';
        if (e != 'b') {
          atStart = false;
        }
        i = skipQuantifier(pattern, i + 2);
        continue;
      }
      if (c == '[') {
        i = skipQuantifier(pattern, classEnd(pattern, i) + 1);
        atStart = false;
        afterWordBoundary = false;
        continue;
      }
      if (c == '(') {
        int close = groupEnd(pattern, i);
        if (pattern.startsWith("(?", i) && pattern.charAt(i + 2) != ':') {
          int colon = pattern.indexOf(':', i);
          if (colon < 0 || colon > close) {
            i = close + 1; // a flag group such as (?m): zero-width
            continue;
          }
        }
        int bodyStart = pattern.startsWith("(?", i) ? pattern.indexOf(':', i) + 1 : i + 1;
        boolean optional = close + 1 < n && isOptionalQuantifier(pattern, close + 1);
        List<String> words = optional ? null : alternatives(pattern, bodyStart, close);
        if (words != null) {
          if (groups.isEmpty() && atStart) {
            anchoredFirst = true;
          }
          groups.add(new Group(words.toArray(String[]::new), afterWordBoundary));
        }
        atStart = false;
        afterWordBoundary = false;
        i = skipQuantifier(pattern, close + 1);
        continue;
      }
      Literal literal = literal(pattern, i, n);
      if (literal != null && literal.word().length() >= 2) {
        if (groups.isEmpty() && atStart) {
          anchoredFirst = true;
        }
        groups.add(new Group(new String[] {literal.word()}, afterWordBoundary));
        atStart = false;
        afterWordBoundary = false;
        i = literal.end();
        continue;
      }
      atStart = false;
      afterWordBoundary = false;
      i = skipQuantifier(pattern, i + 1);
    }
    return groups.isEmpty() ? ALWAYS : new Prefilter(List.copyOf(groups), anchoredFirst, List.of(), -1);
  }

  private static boolean isOptionalQuantifier(String pattern, int i) {
    char q = pattern.charAt(i);
    return q == '?' || q == '*' || (q == '{' && pattern.startsWith("{0", i));
  }

  private static int skipQuantifier(String pattern, int i) {
    if (i < pattern.length() && pattern.charAt(i) == '{') {
      i = pattern.indexOf('}', i) + 1;
    } else if (i < pattern.length() && "?*+".indexOf(pattern.charAt(i)) >= 0) {
      i++;
    }
    if (i < pattern.length() && pattern.charAt(i) == '?') {
      i++; // lazy
    }
    return i;
  }

  private static int classEnd(String pattern, int open) {
    int k = open + 1;
    if (k < pattern.length() && pattern.charAt(k) == '^') {
      k++;
    }
    if (k < pattern.length() && pattern.charAt(k) == ']') {
      k++;
    }
    for (; k < pattern.length(); k++) {
      char c = pattern.charAt(k);
      if (c == '\\') {
        k++;
      } else if (c == ']') {
        return k;
      }
    }
    throw new IllegalArgumentException("unclosed class");
  }

  private static int groupEnd(String pattern, int open) {
    int depth = 0;
    for (int k = open; k < pattern.length(); k++) {
      char c = pattern.charAt(k);
      if (c == '\\') {
        k++;
      } else if (c == '[') {
        k = classEnd(pattern, k);
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return k;
      }
    }
    throw new IllegalArgumentException("unclosed group");
  }

  /** The literal prefixes of the top-level alternatives in [from, to), or null if one has none. */
  private static List<String> alternatives(String pattern, int from, int to) {
    List<String> words = new ArrayList<>();
    int depth = 0;
    int start = from;
    for (int k = from; k <= to; k++) {
      char c = k < to ? pattern.charAt(k) : '|';
      if (c == '\\') {
        k++;
      } else if (c == '[') {
        k = classEnd(pattern, k);
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth == 0) {
        while (pattern.startsWith("\\b", start) && start + 2 <= k) {
          start += 2; // a word boundary before the literal is zero-width
        }
        String word = literalPrefix(pattern, start, k);
        if (word == null) {
          return null;
        }
        words.add(word);
        start = k + 1;
      }
    }
    return words;
  }

  /** The literal characters [from, to) starts with, lower-cased; null when there are none. */
  private static String literalPrefix(String pattern, int from, int to) {
    Literal literal = literal(pattern, from, to);
    return literal == null ? null : literal.word();
  }

  private record Literal(String word, int end) {}

  /** The run of required literal characters at {@code from}, lower-cased, or null. */
  private static Literal literal(String pattern, int from, int to) {
    StringBuilder word = new StringBuilder();
    int k = from;
    while (k < to) {
      char c = pattern.charAt(k);
      char literal;
      int next;
      if (c == '\\' && k + 1 < to) {
        char e = pattern.charAt(k + 1);
        if (Character.isLetterOrDigit(e)) {
          break; // \s, \w, \b, \d ...: not a literal
        }
        literal = e;
        next = k + 2;
      } else if ("()[]{}|?*+.^$".indexOf(c) >= 0) {
        break;
      } else {
        literal = c;
        next = k + 1;
      }
      if (next < to && "?*{".indexOf(pattern.charAt(next)) >= 0) {
        break; // the character is optional or repeated
      }
      word.append(literal);
      k = next;
      if (next < to && pattern.charAt(next) == '+') {
        break; // "a+" needs one a, then maybe more
      }
    }
    String prefix = word.toString().toLowerCase(Locale.ROOT);
    return prefix.isEmpty() ? null : new Literal(prefix, k);
  }
}
