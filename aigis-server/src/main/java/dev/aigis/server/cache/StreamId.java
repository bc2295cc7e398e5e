package dev.aigis.server.cache;

/** A Redis stream entry id, {@code <millis>-<sequence>}, ordered as Redis orders them. */
record StreamId(long millis, long sequence) implements Comparable<StreamId> {

  static final StreamId ZERO = new StreamId(0, 0);

  static StreamId parse(String text) {
    int dash = text.indexOf('-');
    if (dash < 0) {
      return new StreamId(Long.parseUnsignedLong(text), 0);
    }
    return new StreamId(Long.parseUnsignedLong(text.substring(0, dash)), Long.parseUnsignedLong(text.substring(dash + 1)));
  }

  boolean isZero() {
    return millis == 0 && sequence == 0;
  }

  @Override
  public int compareTo(StreamId other) {
    int byMillis = Long.compareUnsigned(millis, other.millis);
    return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
  }

  @Override
  public String toString() {
    return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
  }
}
