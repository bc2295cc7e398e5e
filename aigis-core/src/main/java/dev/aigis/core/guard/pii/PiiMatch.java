package dev.aigis.core.guard.pii;

import java.util.Objects;

/**
 * One entity found in a text: its type and where it is, as Java (UTF-16) offsets, {@code end}
 * exclusive. Holds no text, so matches may be logged.
 */
public record PiiMatch(PiiEntity entity, int start, int end) {

  public PiiMatch {
    Objects.requireNonNull(entity, "entity");
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
  }

  public int length() {
    return end - start;
  }

  public boolean overlaps(PiiMatch other) {
    return start < other.end && other.start < end;
  }

  PiiMatch shift(int by) {
    return new PiiMatch(entity, start + by, end + by);
  }
}
