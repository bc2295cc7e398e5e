package dev.aigis.core.cache;

import dev.aigis.core.embedding.EmbeddingService;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What ResponseCache processors share across configuration reloads, one per gateway process: their
 * stores (a reload that keeps a cache keeps its answers), the clock, the shared embedding service
 * and the observer. Memory stores are opened here; shared (Redis) ones through the
 * {@link SharedStoreFactory} the data plane gives. A store is keyed by the cache's name and its
 * store settings, so changing a cache's Redis URL opens a new store; {@link #sweep} closes the
 * stores that no configuration compiled since the previous sweep asked for.
 */
public final class CacheRuntime implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(CacheRuntime.class.getName());

  private final InstantSource clock;
  private final CacheObserver observer;
  private final SharedStoreFactory shared;
  private final Supplier<EmbeddingService> embeddings;
  private final boolean live;
  private final Map<StoreKey, ResponseCacheStore> stores = new ConcurrentHashMap<>();
  private final Set<StoreKey> used = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicLong storesFinished = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.Queue<StoreWaiter> storeWaiters = new java.util.concurrent.ConcurrentLinkedQueue<>();

  private record StoreWaiter(long count, java.util.concurrent.CompletableFuture<Void> reached) {}

  /**
   * A store's identity. {@code redisUrl} null: memory (whose size bound is adjusted in place).
   * The password is part of the key but never printed.
   */
  public record StoreKey(String cache, String redisUrl, String password, Duration timeout, long maxEntries) {
    @Override
    public String toString() {
      return cache + (redisUrl == null ? " (memory)" : " (" + redisUrl + ")");
    }
  }

  /** @param embeddings the process's one embedding service, started on first use */
  public CacheRuntime(InstantSource clock, CacheObserver observer, SharedStoreFactory shared,
      Supplier<EmbeddingService> embeddings) {
    this(clock, observer, shared, embeddings, true);
  }

  private CacheRuntime(InstantSource clock, CacheObserver observer, SharedStoreFactory shared,
      Supplier<EmbeddingService> embeddings, boolean live) {
    this.clock = clock;
    this.observer = observer;
    this.shared = shared;
    this.embeddings = embeddings;
    this.live = live;
  }

  /** For compiling without serving ({@code aigis validate}): opens nothing. */
  public static CacheRuntime forValidation() {
    return new CacheRuntime(InstantSource.system(), CacheObserver.NONE, SharedStoreFactory.NONE, () -> {
      throw new IllegalStateException("no embeddings while validating");
    }, false);
  }

  public InstantSource clock() {
    return clock;
  }

  public CacheObserver observer() {
    return observer;
  }

  public EmbeddingService embeddings() {
    return embeddings.get();
  }

  /**
   * How many answers the caches of this runtime have finished storing or decided not to store.
   * An answer is stored after the client has it (the completion hook), so whoever must know that
   * it is there (a test asking the paraphrase next) waits with {@link #whenStoresFinished}.
   */
  public long storesFinished() {
    return storesFinished.get();
  }

  /** Completes once {@link #storesFinished} reaches {@code count}. */
  public java.util.concurrent.CompletionStage<Void> whenStoresFinished(long count) {
    var waiter = new StoreWaiter(count, new java.util.concurrent.CompletableFuture<>());
    storeWaiters.add(waiter);
    release(storesFinished.get());
    return waiter.reached();
  }

  /** Called by the processor once per answer it stored, failed to store or skipped. */
  void storeFinished() {
    release(storesFinished.incrementAndGet());
  }

  private void release(long finished) {
    storeWaiters.removeIf(waiter -> waiter.count() <= finished && waiter.reached().complete(null) | true);
  }

  /** Whether this runtime serves traffic (false: validation, where stores are never opened). */
  public boolean live() {
    return live;
  }

  /**
   * The store of a cache, opened on first use and kept across reloads.
   *
   * @throws RuntimeException when a shared store cannot be opened (the configuration is refused)
   */
  public ResponseCacheStore store(StoreKey key) {
    if (key.redisUrl() == null) {
      // Memory: one store per cache whatever its size; a reload that changes maxEntries resizes it.
      StoreKey memoryKey = new StoreKey(key.cache(), null, null, null, 0);
      used.add(memoryKey);
      ResponseCacheStore store = stores.computeIfAbsent(memoryKey, k -> {
        MemoryCacheStore opened = new MemoryCacheStore(key.maxEntries(), clock, VectorIndex.inMemory());
        observer.entries(key.cache(), opened::size);
        return opened;
      });
      ((MemoryCacheStore) store).maximum(key.maxEntries());
      return store;
    }
    used.add(key);
    return stores.computeIfAbsent(key, k -> {
      ResponseCacheStore opened = shared.open(new SharedStoreSettings(java.net.URI.create(key.redisUrl()),
          key.password(), key.timeout(), key.cache(), key.maxEntries(), VectorIndex::inMemory));
      observer.entries(key.cache(), opened::size);
      return opened;
    });
  }

  /** Closes the stores no configuration asked for since the last sweep (call after a configuration is live). */
  public void sweep() {
    for (StoreKey key : Set.copyOf(stores.keySet())) {
      if (!used.contains(key)) {
        ResponseCacheStore store = stores.remove(key);
        if (store != null) {
          closeQuietly(key, store);
        }
      }
    }
    used.clear();
  }

  private static void closeQuietly(StoreKey key, ResponseCacheStore store) {
    try {
      store.close();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing cache store " + key + " failed", e);
    }
  }

  @Override
  public void close() {
    stores.forEach(CacheRuntime::closeQuietly);
    stores.clear();
  }
}
