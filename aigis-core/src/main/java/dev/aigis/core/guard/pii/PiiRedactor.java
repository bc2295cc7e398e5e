package dev.aigis.core.guard.pii;

import java.util.List;

/**
 * Applies a {@link PiiPolicy} to whole texts (request messages, buffered responses). Thread-safe:
 * one instance per policy serves the gateway; {@link #streaming()} makes the per-stream filter.
 * Blocking CPU work, linear in the text: call it off the event loop.
 */
public final class PiiRedactor {

  private final PiiPolicy policy;
  private final PiiScanner scanner;
  private final Replacements replacements;

  public PiiRedactor(PiiPolicy policy) {
    this.policy = policy;
    this.scanner = new PiiScanner(policy.actions().keySet(), policy.phoneRegions());
    this.replacements = new Replacements(policy.hashKey());
  }

  public PiiPolicy policy() {
    return policy;
  }

  public PiiScanner scanner() {
    return scanner;
  }

  public Redaction apply(String text) {
    List<PiiMatch> found = scanner.scan(text);
    if (found.isEmpty()) {
      return new Redaction(text, found, false);
    }
    var sb = new StringBuilder(text.length());
    int at = 0;
    boolean blocked = false;
    for (PiiMatch m : found) {
      sb.append(text, at, m.start()).append(replacement(m, text));
      at = m.end();
      blocked |= policy.actions().get(m.entity()) == PiiAction.BLOCK;
    }
    sb.append(text, at, text.length());
    return new Redaction(sb.toString(), found, blocked);
  }

  /** A new filter for one streamed answer. */
  public StreamingRedactor streaming() {
    return new StreamingRedactor(this);
  }

  PiiAction action(PiiEntity entity) {
    return policy.actions().get(entity);
  }

  String replacement(PiiMatch m, String text) {
    return replacements.render(m.entity(), action(m.entity()), text.substring(m.start(), m.end()));
  }
}
