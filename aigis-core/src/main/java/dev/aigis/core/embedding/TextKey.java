package dev.aigis.core.embedding;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Cache keys for texts. A short text is its own key; a longer one is keyed by its SHA-256, so a
 * cache bounded by entries is also bounded in bytes whatever the prompts' size. The two kinds are
 * different classes and never equal: a short text that spells out a digest cannot stand in for the
 * long text it names, so nobody can plant a vector for someone else's prompt.
 */
final class TextKey {

  /** Texts up to this many chars are their own key (at most ~0.5 KB next to a 1.5 KB vector). */
  static final int MAX_PLAIN_CHARS = 256;

  private TextKey() {}

  /** The key of a long text: its SHA-256 as four longs. */
  record Digest(long a, long b, long c, long d) {}

  static boolean plain(String text) {
    return text.length() <= MAX_PLAIN_CHARS;
  }

  static Object of(String text) {
    if (plain(text)) {
      return text;
    }
    try {
      ByteBuffer hash = ByteBuffer.wrap(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
      return new Digest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
