package dev.aigis.core.guard.pii;

import com.google.re2j.Matcher;
import dev.aigis.core.guard.StreamTextFilter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Redacts a streamed answer delta by delta, with the output a whole-text {@link PiiRedactor}
 * would give for the concatenated deltas. Per stream, not thread-safe; blocking CPU work.
 *
 * <p><b>Hold-back.</b> Text is held only while its tail could still be, or be inside, an entity:
 *
 * <ul>
 *   <li>the last {@code window} chars, where the window is the longest enabled entity that may
 *       contain spaces (card, IBAN, phone, SSN) plus two chars of look-ahead (so "123-45-6789"
 *       is known not to continue as "123-45-6789-1"); 0 when no such entity is enabled;
 *   <li>the trailing run of non-whitespace characters, up to the longest enabled entity that is
 *       one run (email 128, API keys up to 256; a JWT's 8 KiB only once the run holds
 *       {@code eyJ}): a word is released when the whitespace after it arrives;
 *   <li>an entity found that reaches into the held tail holds the text from its start;
 *   <li>a private key: from a BEGIN line until its END line. If 8 KiB pass without one, the held
 *       text from BEGIN is released as one replacement and everything after is dropped until an
 *       END line (or the end of the stream): the body of a key is never released.
 * </ul>
 *
 * Everything before the held tail is released at once, redacted. A text over 64 KiB held (only an
 * entity that long could cause it) is released as it stands, redacted as far as it is known.
 *
 * <p><b>Deltas.</b> One output string per input delta, in order. An entity split across deltas is
 * replaced in the delta where it starts and removed from the following ones, so each delta's
 * event can be rewritten with its own text. An entity whose action is BLOCK ends the stream with
 * {@code Release.block("PII:" + type)}; nothing after it is released.
 */
public final class StreamingRedactor implements StreamTextFilter {

  /** Released text kept for the recognisers' look-behind (phone and SSN context words, boundaries). */
  static final int CONTEXT_CHARS = 48;
  static final int KEY_CAP = 8192;
  static final int HARD_CAP = 64 * 1024;
  /** BEGIN lines are at most about 40 chars ("-----BEGIN ENCRYPTED PRIVATE KEY-----" is 37; longer names are not held for). */
  private static final int BEGIN_LINE = 40;

  private static final class Held {
    final StringBuilder out = new StringBuilder();
    int undecided;
  }

  private final PiiRedactor redactor;
  private final int window;
  private final int runCap;
  private final boolean jwt;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private final StringBuilder pending = new StringBuilder();
  private final StringBuilder dropTail = new StringBuilder();
  /** The held tail is rescanned on every delta: phone candidates are parsed once per stream. */
  private final java.util.Map<String, Boolean> phoneMemo = new java.util.HashMap<>();
  private String context = "";
  private boolean dropping;
  private boolean blocked;

  StreamingRedactor(PiiRedactor redactor) {
    this.redactor = redactor;
    int w = 0;
    int run = 0;
    for (PiiEntity e : redactor.scanner().entities()) {
      if (e == PiiEntity.PRIVATE_KEY) {
        w = Math.max(w, BEGIN_LINE);
      } else if (e.spaced()) {
        w = Math.max(w, e.maxLength() + 2);
      } else if (e != PiiEntity.JWT) {
        run = Math.max(run, e.maxLength() + 2);
      }
    }
    this.window = w;
    this.runCap = run;
    this.jwt = redactor.scanner().entities().contains(PiiEntity.JWT);
  }

  /** Chars held back for entities that may contain spaces (the fixed part of the hold-back). */
  public int window() {
    return window;
  }

  /** The longest trailing word held back (longer single-run text is held by this many chars). */
  public int runCap() {
    return runCap;
  }

  @Override
  public Release push(String delta) {
    if (blocked) {
      return Release.NONE;
    }
    Held h = new Held();
    held.add(h);
    String rest = dropping ? skipKeyBody(delta) : delta;
    h.undecided = rest.length();
    pending.append(rest);
    return decide(false);
  }

  @Override
  public Release finish() {
    if (blocked) {
      return Release.NONE;
    }
    return decide(true);
  }

  /** Drops text up to and including the END line of an overlong key; returns what follows it. */
  private String skipKeyBody(String delta) {
    int keep = Math.min(dropTail.length(), BEGIN_LINE);
    String tail = dropTail.substring(dropTail.length() - keep);
    String joined = tail + delta;
    Matcher end = PrivateKeyRecognizer.END.matcher(joined);
    if (end.find()) {
      dropping = false;
      dropTail.setLength(0);
      return joined.substring(Math.max(end.end(), tail.length()));
    }
    dropTail.setLength(0);
    dropTail.append(joined, Math.max(0, joined.length() - BEGIN_LINE), joined.length());
    return "";
  }

  private Release decide(boolean all) {
    int c = context.length();
    List<PiiMatch> matches = new ArrayList<>();
    if (!pending.isEmpty()) {
      for (PiiMatch m : redactor.scanner().scan(context + pending, phoneMemo)) {
        if (m.start() >= c) {
          matches.add(m.shift(-c));
        } else if (m.end() > c) {
          // starts in text already released, which the hold-back rules should prevent: the rest
          // is still replaced rather than released
          matches.add(new PiiMatch(m.entity(), 0, m.end() - c));
        }
      }
    }
    int end = pending.length();
    int r = end;
    boolean overflow = false;
    if (!all && end <= HARD_CAP) {
      r = Math.max(0, Math.min(end - window, end - heldRun()));
      for (PiiMatch m : matches) {
        if (m.start() < r && m.end() > r) {
          r = m.start();
        }
      }
      for (PiiMatch m : matches) {
        if (m.entity() == PiiEntity.PRIVATE_KEY && m.start() == r && m.end() == end
            && end - m.start() > KEY_CAP && !PrivateKeyRecognizer.END.matcher(pending.substring(m.start())).find()) {
          r = end;
          overflow = true;
        }
      }
    }
    int cut = r;
    List<PiiMatch> decided = matches.stream().filter(m -> m.end() <= cut).toList();
    for (PiiMatch m : decided) {
      if (redactor.action(m.entity()) == PiiAction.BLOCK) {
        blocked = true;
        return Release.block("PII:" + m.entity().name());
      }
    }
    apply(decided, r);
    if (overflow) {
      dropping = true;
    }
    List<String> texts = new ArrayList<>();
    while (!held.isEmpty() && (held.peekFirst().undecided == 0)) {
      texts.add(held.pollFirst().out.toString());
    }
    return texts.isEmpty() ? Release.NONE : Release.of(texts);
  }

  /** How much of the trailing non-whitespace run must stay held. */
  private int heldRun() {
    int n = 0;
    for (int i = pending.length() - 1; i >= 0 && !Character.isWhitespace(pending.charAt(i)); i--) {
      n++;
    }
    if (n == 0) {
      return 0;
    }
    int cap = runCap;
    if (jwt && (pending.indexOf("eyJ", pending.length() - n) >= 0 || endsWithPrefixOf("eyJ"))) {
      cap = Math.max(cap, PiiEntity.JWT.maxLength() + 2);
    }
    return Math.min(n, cap);
  }

  private boolean endsWithPrefixOf(String marker) {
    for (int k = 1; k < marker.length(); k++) {
      if (pending.length() >= k && pending.substring(pending.length() - k).equals(marker.substring(0, k))) {
        return true;
      }
    }
    return false;
  }

  /** Moves {@code pending[0, r)} into the held deltas' output, matches replaced. */
  private void apply(List<PiiMatch> decided, int r) {
    var cursor = new Cursor();
    int at = 0;
    for (PiiMatch m : decided) {
      cursor.copy(at, m.start(), true);
      cursor.put(redactor.replacement(m, pending.toString()));
      cursor.copy(m.start(), m.end(), false);
      at = m.end();
    }
    cursor.copy(at, r, true);
    String released = context + pending.substring(0, r);
    context = released.substring(Math.max(0, released.length() - CONTEXT_CHARS));
    pending.delete(0, r);
  }

  /** Walks the held deltas' undecided text in order. */
  private final class Cursor {
    private final java.util.Iterator<Held> it = held.iterator();
    private Held current;

    /** The delta the next undecided char belongs to. */
    private Held current() {
      while (current == null || current.undecided == 0) {
        current = it.next();
      }
      return current;
    }

    void copy(int from, int to, boolean keep) {
      int i = from;
      while (i < to) {
        Held h = current();
        int n = Math.min(h.undecided, to - i);
        if (keep) {
          h.out.append(pending, i, i + n);
        }
        h.undecided -= n;
        i += n;
      }
    }

    void put(String replacement) {
      current().out.append(replacement);
    }
  }
}
