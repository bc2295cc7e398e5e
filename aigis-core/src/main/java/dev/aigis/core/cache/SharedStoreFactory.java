package dev.aigis.core.cache;

/**
 * Opens a {@link ResponseCacheStore} shared by every replica (Redis). The data plane provides it
 * (aigis-server, which owns the Redis clients); the cache runtime calls it once per cache and keeps
 * the store across configuration reloads.
 */
@FunctionalInterface
public interface SharedStoreFactory {

  /** A factory for processes that connect to nothing ({@code aigis validate}): every open fails. */
  SharedStoreFactory NONE = settings -> {
    throw new IllegalStateException("no shared cache store in this process");
  };

  ResponseCacheStore open(SharedStoreSettings settings);
}
