package dev.aigis.core.identity;

import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Identities of tokens verified before, keyed by the token's SHA-256 so the cache holds no
 * bearer tokens, each until the token's {@code exp}. A repeated token then costs a hash and a
 * lookup instead of a signature check. Safe for any number of threads.
 *
 * <p>An entry outlives a key removed from the JWKS until the token expires; tokens are short-lived
 * and the issuer's own revocation story applies to them anyway.
 *
 * <p>Bounded: when full, expired entries go first, then arbitrary ones down to 90 % so that the
 * sweep is paid once per many insertions. A flood of distinct valid tokens costs cache hits, never
 * memory.
 */
final class VerifiedTokens {

  static final int DEFAULT_CAPACITY = 10_000;

  private record Entry(Identity identity, Instant expires) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final InstantSource clock;
  private final int capacity;

  VerifiedTokens(InstantSource clock, int capacity) {
    this.clock = clock;
    this.capacity = capacity;
  }

  static String key(String token) {
    return HexFormat.of().formatHex(ApiKeys.sha256(token));
  }

  /** The identity of a verified token not yet expired, or null. */
  Identity get(String key) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (!clock.instant().isBefore(entry.expires())) {
      entries.remove(key, entry);
      return null;
    }
    return entry.identity();
  }

  void put(String key, Identity identity, Instant expires) {
    if (entries.size() >= capacity) {
      shrink();
    }
    entries.put(key, new Entry(identity, expires));
  }

  int size() {
    return entries.size();
  }

  private void shrink() {
    Instant now = clock.instant();
    entries.values().removeIf(entry -> !now.isBefore(entry.expires()));
    int target = capacity - Math.max(1, capacity / 10);
    Iterator<Entry> it = entries.values().iterator();
    while (entries.size() > target && it.hasNext()) {
      it.next();
      it.remove();
    }
  }
}
