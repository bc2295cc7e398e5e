package dev.aigis.server.proxy;

import java.nio.charset.StandardCharsets;

/**
 * Replaces a credential in bytes the gateway relays: some providers and proxies repeat the key
 * they were sent in their error bodies ("Incorrect API key provided: sk-..."), and the client that
 * triggered the error must not learn the gateway's key from it.
 */
final class SecretScrubber {

  static final byte[] REDACTED = "[REDACTED]".getBytes(StandardCharsets.US_ASCII);
  /** Shorter values are not keys worth the scan, and would match innocent text. */
  private static final int MIN_SECRET_LENGTH = 8;

  private SecretScrubber() {}

  /** {@code body} with every occurrence of {@code secret} replaced; the same array when there is none. */
  static byte[] scrub(byte[] body, String secret) {
    if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
      return body;
    }
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    int at = indexOf(body, needle, 0);
    if (at < 0) {
      return body;
    }
    var out = new java.io.ByteArrayOutputStream(body.length);
    int from = 0;
    while (at >= 0) {
      out.write(body, from, at - from);
      out.writeBytes(REDACTED);
      from = at + needle.length;
      at = indexOf(body, needle, from);
    }
    out.write(body, from, body.length - from);
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
