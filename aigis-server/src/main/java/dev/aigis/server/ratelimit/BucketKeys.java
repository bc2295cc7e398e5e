package dev.aigis.server.ratelimit;

import dev.aigis.core.ratelimit.Window;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The Redis key of one counter: {@code <prefix>:<bucket>:<windowStart>:<windowEnd>}, the bucket id
 * in unpadded base64url of its UTF-8 bytes and the window as epoch seconds. The encoding is
 * reversible (a snapshot reads bucket ids back from keys), collision-free (unlike a hash, whatever a
 * client puts in a bucket id cannot make it share another's counter) and free of {@code :} and glob
 * characters, so keys parse from the right whatever the prefix holds.
 */
record BucketKeys(String prefix) {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** A key read back: its bucket id and window. */
  record Parsed(String bucket, Window window) {}

  String key(String bucket, Window window) {
    return prefix + ':' + ENCODER.encodeToString(bucket.getBytes(StandardCharsets.UTF_8))
        + ':' + window.start().getEpochSecond() + ':' + window.end().getEpochSecond();
  }

  /** A {@code SCAN MATCH} pattern for every key under the prefix, glob characters of the prefix escaped. */
  String pattern() {
    StringBuilder pattern = new StringBuilder(prefix.length() + 3);
    for (char c : prefix.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        pattern.append('\\');
      }
      pattern.append(c);
    }
    return pattern.append(":*").toString();
  }

  /** The bucket and window of a key, or null when the key is not one of ours. */
  Parsed parse(String key) {
    if (!key.startsWith(prefix + ':')) {
      return null;
    }
    String[] parts = key.substring(prefix.length() + 1).split(":", -1);
    if (parts.length != 3) {
      return null;
    }
    try {
      String bucket = new String(DECODER.decode(parts[0]), StandardCharsets.UTF_8);
      Window window = new Window(Instant.ofEpochSecond(Long.parseLong(parts[1])),
          Instant.ofEpochSecond(Long.parseLong(parts[2])));
      return new Parsed(bucket, window);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
