package dev.aigis.core.cache;

import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorFactory;
import dev.aigis.model.processing.ResponseCacheSpec;
import java.nio.charset.StandardCharsets;

/**
 * Compiles a {@code type: ResponseCache} entry: resolves the Redis password Secret, opens (or keeps)
 * the cache's store on the shared {@link CacheRuntime}, and sets the semantic tier's similarity
 * floor of the shipped paraphrase check. Nothing is opened while validating.
 */
public final class ResponseCacheFactory implements ProcessorFactory<ResponseCacheSpec> {

  /** The key of the {@code passwordSecret} Secret that holds the Redis password (as for rate limits). */
  static final String PASSWORD_KEY = "password";

  private final CacheRuntime runtime;

  public ResponseCacheFactory(CacheRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Processor compile(ResponseCacheSpec spec, Entry entry) {
    String name = (entry.chain().isEmpty() ? "" : entry.chain() + "/") + entry.name();
    ResponseCacheSpec.Store storeSpec = spec.store();
    String password = null;
    if (storeSpec.passwordSecret() != null) {
      byte[] value = entry.secret(storeSpec.passwordSecret(), PASSWORD_KEY);
      if (value == null || value.length == 0) {
        entry.error("responseCache.store.redis.passwordSecret", "Secret " + storeSpec.passwordSecret()
            + " (in the PayloadProcessor's namespace) has no non-empty key \"" + PASSWORD_KEY + "\"");
        return null;
      }
      password = new String(value, StandardCharsets.UTF_8).strip();
    }
    ParaphraseCheck check = ParaphraseCheck.shipped();
    if (spec.semantic().threshold() != null) {
      check = check.withSimilarity(spec.semantic().threshold().doubleValue());
    }
    var settings = new ResponseCacheProcessor.Settings(name, spec.exact().enabled(), spec.semantic().enabled(),
        spec.ttl(), spec.maxTemperature(), spec.scope());
    if (!runtime.live()) {
      return new ResponseCacheProcessor(settings, new CacheLookup(new ClosedStore(), check), runtime);
    }
    ResponseCacheStore store;
    var key = new CacheRuntime.StoreKey(name, storeSpec.inMemory() ? null : storeSpec.redisUrl().toString(), password,
        storeSpec.timeout(), spec.maxEntries());
    try {
      store = runtime.store(key);
    } catch (RuntimeException e) {
      entry.error(storeSpec.inMemory() ? "responseCache" : "responseCache.store.redis",
          "the cache store could not be opened: " + e.getMessage());
      return null;
    }
    return new ResponseCacheProcessor(settings, new CacheLookup(store, check), runtime);
  }

  /** The store of a processor compiled only to be validated: it never serves. */
  private static final class ClosedStore implements ResponseCacheStore {
    @Override
    public java.util.concurrent.CompletionStage<CacheEntry> exact(String exactKey, long nowMillis) {
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    public java.util.concurrent.CompletionStage<SemanticMatch> nearest(String partition, float[] vector,
        double minSimilarity, long nowMillis) {
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> put(CacheEntry entry) {
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    public long size() {
      return 0;
    }

    @Override
    public void close() {}
  }
}
