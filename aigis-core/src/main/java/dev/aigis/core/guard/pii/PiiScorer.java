package dev.aigis.core.guard.pii;

import dev.aigis.core.guard.TextScorer;
import java.util.List;

/**
 * The scanner as a detector: score 1 when the text holds any entity the scanner covers, else 0;
 * the signals are the entity types found, in order of first appearance. Thread-safe.
 */
public final class PiiScorer implements TextScorer {

  private final PiiScanner scanner;

  public PiiScorer(PiiScanner scanner) {
    this.scanner = scanner;
  }

  public PiiScanner scanner() {
    return scanner;
  }

  @Override
  public Scored score(String text) {
    List<String> types = scanner.scan(text).stream().map(m -> m.entity().name()).distinct().toList();
    return new Scored(types.isEmpty() ? 0 : 1, !types.isEmpty(), types);
  }
}
