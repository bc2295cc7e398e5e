package dev.aigis.core.guard.output;

/**
 * Where the windows of an answer lie. The embedding model reads at most 128 word pieces (about
 * 500 characters of English), so an answer is judged window by window and flagged when any window
 * is: a harmful second half after a refusal is not averaged away. Starts are moved to the next
 * word so no window begins mid-word.
 */
final class Windows {

  /** How far a start may move forward to reach a word boundary. */
  private static final int SNAP = 24;

  private Windows() {}

  /**
   * Starts of windows of {@code size} characters every {@code step} characters, the last one
   * ending at the text's end; when there would be more than {@code max}, {@code max} of them spread
   * evenly (first and last kept), which bounds the cost of a very long answer.
   */
  static int[] starts(String text, int size, int step, int max) {
    int length = text.length();
    if (length <= size) {
      return new int[] {0};
    }
    int count = (length - size + step - 1) / step + 1;
    int[] raw = new int[count];
    for (int i = 0; i < count - 1; i++) {
      raw[i] = i * step;
    }
    raw[count - 1] = length - size;
    int[] chosen = raw;
    if (count > max) {
      chosen = new int[max];
      for (int i = 0; i < max; i++) {
        chosen[i] = raw[(int) Math.round(i * (count - 1) / (double) (max - 1))];
      }
    }
    for (int i = 0; i < chosen.length; i++) {
      chosen[i] = snap(text, chosen[i]);
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
