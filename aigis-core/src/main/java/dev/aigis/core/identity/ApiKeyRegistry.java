package dev.aigis.core.identity;

import dev.aigis.core.identity.AuthResult.Authenticated;
import dev.aigis.core.identity.AuthResult.Rejected;
import dev.aigis.model.policy.ApiKey;
import java.lang.System.Logger.Level;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The API keys of one configuration, looked up by the SHA-256 of the presented key. Immutable and
 * safe for any number of threads; {@link #authenticate} does no I/O.
 *
 * <p>The map is keyed by the hash, never the key, so the timing of the lookup tells an attacker
 * only about hashes of keys they chose. The hit is then confirmed with a constant-time comparison.
 */
public final class ApiKeyRegistry {

  private static final System.Logger LOG = System.getLogger(ApiKeyRegistry.class.getName());
  static final Rejected INVALID = new Rejected("invalid API key");

  private record Entry(ApiKey key, byte[] sha256, Identity identity) {}

  private final Map<String, Entry> byHash;
  private final InstantSource clock;
  private final BiPredicate<byte[], byte[]> constantTimeEquals;

  public ApiKeyRegistry(List<ApiKey> keys, InstantSource clock) {
    this(keys, clock, MessageDigest::isEqual);
  }

  /** Tests pass a recording comparison to see the constant-time path taken. */
  ApiKeyRegistry(List<ApiKey> keys, InstantSource clock, BiPredicate<byte[], byte[]> constantTimeEquals) {
    this.clock = clock;
    this.constantTimeEquals = constantTimeEquals;
    Map<String, Entry> map = new HashMap<>();
    for (ApiKey key : keys) {
      byte[] sha256 = key.sha256();
      if (sha256.length != 32) {
        LOG.log(Level.WARNING, "API key {0} from {1} ignored: its sha256 is not 32 bytes", key.name(), key.secret());
        continue;
      }
      Entry previous = map.putIfAbsent(HexFormat.of().formatHex(sha256), new Entry(key, sha256, identityOf(key)));
      if (previous != null) {
        LOG.log(Level.WARNING, "API key {0} from {1} ignored: it has the same hash as key {2} from {3}",
            key.name(), key.secret(), previous.key().name(), previous.key().secret());
      }
    }
    this.byHash = Map.copyOf(map);
  }

  public AuthResult authenticate(String presentedKey) {
    byte[] presented = ApiKeys.sha256(presentedKey);
    Entry entry = byHash.get(HexFormat.of().formatHex(presented));
    if (entry == null || !constantTimeEquals.test(presented, entry.sha256())) {
      return INVALID;
    }
    Instant expires = entry.key().expires();
    if (expires != null && !clock.instant().isBefore(expires)) {
      return new Rejected("API key " + entry.key().name() + " expired at " + expires);
    }
    return new Authenticated(entry.identity(), null);
  }

  public int size() {
    return byHash.size();
  }

  private static Identity identityOf(ApiKey key) {
    return new Identity(Identity.Kind.API_KEY, key.name(), key.team(), List.of(), key.labels(), Map.of(),
        key.models(), null);
  }
}
