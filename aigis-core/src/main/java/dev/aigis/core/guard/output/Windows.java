package dev.aigis.core.guard.output;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the windows of an answer lie. The embedding model reads at most 128 word pieces (about
 * 500 characters of English), so an answer is judged window by window and flagged when any window
 * is: a harmful second half after a refusal is not averaged away. Starts are moved to the next
 * word so no window begins mid-word.
 *
 * <p>Cutting windows at persona labels ({@code [DAN]:}) so a jailbroken answer's voices are judged
 * apart was tried and measured worse on the development data (out-of-fold recall at 3 % FPR 0.44
 * against 0.47, across sources 0.62 against 0.66), so windows ignore them.
 */
final class Windows {

  /** One window, {@code [start, end)}. */
  record Span(int start, int end) {}

  /** How far a start may move forward to reach a word boundary. */
  private static final int SNAP = 24;

  private Windows() {}

  /**
   * Windows of at most {@code size} characters every {@code step} characters, the last one ending
   * at the text's end; when there would be more than {@code max}, {@code max} of them spread evenly
   * (first and last kept), which bounds the cost of a very long answer.
   */
  static List<Span> spans(String text, int size, int step, int max) {
    List<Span> all = new ArrayList<>();
    int from = 0;
    int to = text.length();
    if (to - from <= size) {
      all.add(new Span(from, to));
    } else {
      for (int s = from; ; s += step) {
        int start = Math.min(s, to - size);
        int snapped = snap(text, start);
        all.add(new Span(snapped, Math.min(to, snapped + size)));
        if (start == to - size) {
          break;
        }
      }
    }
    if (all.size() <= max) {
      return all;
    }
    List<Span> chosen = new ArrayList<>(max);
    for (int i = 0; i < max; i++) {
      chosen.add(all.get((int) Math.round(i * (all.size() - 1) / (double) (max - 1))));
    }
    return chosen;
  }

  /** {@code start} moved just past the next whitespace (within a few characters), or unchanged. */
  static int snap(String text, int start) {
    if (start <= 0 || Character.isWhitespace(text.charAt(start - 1))) {
      return Math.max(0, start);
    }
    int limit = Math.min(text.length(), start + SNAP);
    for (int i = start; i < limit; i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i + 1;
      }
    }
    return Character.isLowSurrogate(text.charAt(start)) ? start + 1 : start;
  }
}
