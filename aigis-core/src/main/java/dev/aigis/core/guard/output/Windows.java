package dev.aigis.core.guard.output;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the windows of an answer lie. The embedding model reads at most 128 word pieces (about
 * 500 characters of English), so an answer is judged window by window and flagged when any window
 * is: a harmful second half after a refusal is not averaged away. A window never spans a persona
 * label at a line start ({@code [DAN]:}, {@code (🔓Developer Mode Output)}, {@code AIM:}): a
 * jailbroken answer's voices are judged apart, so the refusal of one does not hide the other.
 * Starts are moved to the next word so no window begins mid-word.
 */
final class Windows {

  /** One window, {@code [start, end)}. */
  record Span(int start, int end) {}

  /** How far a start may move forward to reach a word boundary. */
  private static final int SNAP = 24;
  /** A persona label closer than this to the previous boundary does not start a new segment. */
  private static final int MIN_SEGMENT = 40;

  private static final Pattern PERSONA = Pattern.compile(
      "(?m)^[ \\t]*(\\[[^\\]\\n]{1,40}\\]|\\([^)\\n]{1,40}\\)|[A-Z][A-Za-z]{1,20}( [A-Z][A-Za-z]{1,20})?:)");

  private Windows() {}

  /**
   * Windows of at most {@code size} characters: the text is cut at persona labels into segments,
   * each segment into windows every {@code step} characters with its last window ending at its
   * end; when there would be more than {@code max}, {@code max} of them spread evenly (first and
   * last kept), which bounds the cost of a very long answer.
   */
  static List<Span> spans(String text, int size, int step, int max) {
    List<Span> all = new ArrayList<>();
    List<Integer> bounds = boundaries(text);
    for (int b = 0; b < bounds.size() - 1; b++) {
      int from = bounds.get(b);
      int to = bounds.get(b + 1);
      if (to - from <= size) {
        all.add(new Span(from, to));
        continue;
      }
      for (int s = from; ; s += step) {
        int start = Math.min(s, to - size);
        all.add(new Span(snap(text, start), Math.min(to, start + size)));
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

  /** 0, each persona label's position (segments of at least {@link #MIN_SEGMENT}), and the length. */
  private static List<Integer> boundaries(String text) {
    List<Integer> bounds = new ArrayList<>();
    bounds.add(0);
    Matcher m = PERSONA.matcher(text);
    while (m.find()) {
      int at = m.start(1);
      if (at - bounds.getLast() >= MIN_SEGMENT && text.length() - at >= 1) {
        bounds.add(at);
      }
    }
    bounds.add(text.length());
    return bounds;
  }

  /** The start of the last persona label in {@code text} after {@code from}, or -1. */
  static int lastPersona(String text, int from) {
    Matcher m = PERSONA.matcher(text);
    int last = -1;
    int at = from;
    while (at < text.length() && m.find(at)) {
      if (m.start(1) > from) {
        last = m.start(1);
      }
      at = m.end();
    }
    return last;
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
