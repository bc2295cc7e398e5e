package dev.aigis.core.cache;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a shared (Redis) store needs.
 *
 * @param redisUrl {@code redis://host:port[/db]}
 * @param password from a Secret, or null; never logged
 * @param timeout how long one Redis call may take before the lookup counts as failed
 * @param cacheName {@code namespace/name/entry} of the cache; keys are prefixed with a hash of it
 *     so caches never see each other's entries
 * @param maxEntries the most entries kept (oldest go first)
 * @param indexes makes this replica's local vector index
 */
public record SharedStoreSettings(
    URI redisUrl, String password, Duration timeout, String cacheName, long maxEntries,
    Supplier<VectorIndex> indexes) {

  public SharedStoreSettings {
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(indexes, "indexes");
  }

  @Override
  public String toString() { // the password stays out of logs
    return "SharedStoreSettings[" + redisUrl + ", cache " + cacheName + "]";
  }
}
