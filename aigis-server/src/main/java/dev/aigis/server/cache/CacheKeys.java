package dev.aigis.server.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Redis keys of one cache, all under {@code aigis:cache:{<h>}:} where {@code <h>} is the first
 * 64 bits of the SHA-256 of the cache's name (in hex). The braces are a Redis Cluster hash tag: every
 * key of a cache lands in one slot, so the put script may touch them all.
 *
 * <ul>
 *   <li>{@code …x:<exactKey>}: a hash with fields {@code id} and {@code entry} (the entry's JSON),
 *       expiring with the entry. The one place an entry's body lives: the exact tier reads it by its
 *       key, the semantic tier by the key its local index returns.
 *   <li>{@code …log}: the stream of puts every replica follows to keep its local index in sync.
 * </ul>
 */
record CacheKeys(String prefix) {

  static CacheKeys of(String cacheName) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(cacheName.getBytes(StandardCharsets.UTF_8));
      return new CacheKeys("aigis:cache:{" + HexFormat.of().formatHex(digest, 0, 8) + "}:");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  String entry(String exactKey) {
    return prefix + "x:" + exactKey;
  }

  String stream() {
    return prefix + "log";
  }

  /** The stream's lineage: a random id set by the put that created the stream, carried by every entry. */
  String epoch() {
    return prefix + "epoch";
  }
}
