package dev.aigis.server.proxy;

import dev.aigis.core.openai.OpenAiResponseInspector;
import dev.aigis.core.usage.TokenUsage;
import io.vertx.core.buffer.Buffer;

/**
 * The last bytes of a response body, kept in a fixed ring so that reading usage costs one small
 * copy per chunk whatever the body size. OpenAI serialises {@code usage} last, and an unescaped
 * {@code "usage"} can only be a key, so the usage object is found by scanning the tail backwards.
 */
final class UsageTail {

  static final int CAPACITY = 2048;

  private final byte[] ring = new byte[CAPACITY];
  private long written;

  void append(Buffer chunk) {
    int length = chunk.length();
    int from = Math.max(0, length - CAPACITY);
    written += from;
    while (from < length) {
      int at = (int) (written % CAPACITY);
      int count = Math.min(length - from, CAPACITY - at);
      chunk.getBytes(from, from + count, ring, at);
      from += count;
      written += count;
    }
  }

  /** Usage found in the tail, or null. */
  TokenUsage usage() {
    int size = (int) Math.min(written, CAPACITY);
    byte[] tail = new byte[size];
    long start = written - size;
    for (int i = 0; i < size; i++) {
      tail[i] = ring[(int) ((start + i) % CAPACITY)];
    }
    return OpenAiResponseInspector.usageInTail(tail);
  }
}
