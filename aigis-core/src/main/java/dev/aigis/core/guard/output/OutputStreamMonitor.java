package dev.aigis.core.guard.output;

import dev.aigis.core.guard.StreamTextFilter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The output filter over a streamed answer. Every delta is checked by the category rules against
 * the recent text (regex only, cheap); every {@code stride} characters of new text the classifier
 * judges the most recent window. Deltas not yet judged by the classifier are held (less than
 * {@code stride} characters, or one larger delta until it is judged), so a client never receives
 * the text that made the answer cross the line: on a hit the held deltas are dropped and
 * {@link Release#block} names the category. Otherwise deltas go out unchanged, in order.
 *
 * <p>Memory is bounded: only the last window plus its context is kept. Per exchange, not
 * thread-safe; {@link #push} and {@link #finish} may run an embedding (blocking, a few ms).
 */
public final class OutputStreamMonitor implements StreamTextFilter {

  public static final int DEFAULT_STRIDE = 200;
  /** Text before a new delta the rules see again: the longest rule spans about this much. */
  static final int RULE_LOOKBACK = 400;

  private final OutputJudge judge;
  private final int stride;
  private final int keep;
  private final StringBuilder text = new StringBuilder();
  private final ArrayDeque<String> held = new ArrayDeque<>();
  /** Characters dropped from the front of {@link #text}; positions below are absolute. */
  private long dropped;
  private long judgedTo;
  private String blocked;

  OutputStreamMonitor(OutputJudge judge, int stride) {
    if (stride < 1 || stride > judge.windowChars()) {
      throw new IllegalArgumentException("stride must be 1.." + judge.windowChars() + ", got " + stride);
    }
    this.judge = judge;
    this.stride = stride;
    this.keep = judge.windowChars() + OutputFeatures.CONTEXT + RULE_LOOKBACK;
  }

  @Override
  public Release push(String delta) {
    if (blocked != null) {
      return Release.block(blocked);
    }
    int from = Math.max(0, text.length() - RULE_LOOKBACK);
    text.append(delta);
    held.add(delta);
    String ruleHit = delta.isEmpty() ? null : judge.ruleBlock(text.substring(from));
    if (ruleHit != null) {
      return block(ruleHit);
    }
    long unjudged = end() - judgedTo;
    if (unjudged >= stride) {
      return judgeRecent();
    }
    trim();
    // An empty delta with nothing unjudged before it need not wait.
    return unjudged == 0 ? releaseHeld() : Release.NONE;
  }

  @Override
  public Release finish() {
    if (blocked != null) {
      return Release.block(blocked);
    }
    if (end() > judgedTo) {
      return judgeRecent();
    }
    return releaseHeld();
  }

  /**
   * Judges the most recent window, and the windows before it back to the first unjudged character
   * when more than a window arrived at once (a provider that sends large chunks).
   */
  private Release judgeRecent() {
    String all = text.toString();
    int unjudged = (int) Math.max(0, judgedTo - dropped);
    int end = all.length();
    while (true) {
      int start = Windows.snap(all, Math.max(0, end - judge.windowChars()));
      String category = judge.judge(all.substring(start, end), all.substring(Math.max(0, start - OutputFeatures.CONTEXT), start));
      if (category != null) {
        return block(category);
      }
      if (start <= unjudged || start >= end) {
        break;
      }
      end = start;
    }
    judgedTo = end();
    trim();
    return releaseHeld();
  }

  private Release block(String category) {
    blocked = category;
    held.clear();
    text.setLength(0);
    return Release.block(category);
  }

  private Release releaseHeld() {
    List<String> out = new ArrayList<>(held);
    held.clear();
    return Release.of(out);
  }

  private long end() {
    return dropped + text.length();
  }

  /** Keeps what the next window, its context and the rules' look-back can read. */
  private void trim() {
    int excess = text.length() - keep;
    if (excess > keep) {
      text.delete(0, excess);
      dropped += excess;
    }
  }
}
