package dev.aigis.server.cache;

import dev.aigis.core.cache.ResponseCacheStore;
import dev.aigis.core.cache.SharedStoreFactory;
import dev.aigis.core.cache.SharedStoreSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens {@link RedisResponseCacheStore}s: the data plane's {@link SharedStoreFactory}. Stores on the
 * same Redis (URL, password, timeout) share one pooled client for lookups and puts, as the
 * rate-limit stores do; each store's follower has a client of its own, whose one connection blocks
 * in {@code XREAD}. Opening never waits for Redis: a store opened while Redis is down fails its
 * lookups and catches up once Redis answers.
 */
public final class RedisCacheStoreFactory implements SharedStoreFactory, AutoCloseable {

  static final int POOL_SIZE = 16;
  static final int POOL_WAITING = 1024;
  static final int IDLE_SECONDS = 30;

  /** The password is part of the identity but never of the text. */
  private record ClientKey(String url, String password, Duration timeout) {
    @Override
    public String toString() {
      return "ClientKey[" + endpoint(URI.create(url)) + ", " + timeout + "]";
    }
  }

  private final Vertx vertx;
  private final InstantSource clock;
  private final long followerBlockMillis;
  private final FollowerMeters meters;
  private final Map<ClientKey, Redis> clients = new ConcurrentHashMap<>();
  private final Map<RedisResponseCacheStore, Boolean> open = new ConcurrentHashMap<>();

  public RedisCacheStoreFactory(Vertx vertx, InstantSource clock) {
    this(vertx, clock, null, StreamFollower.BLOCK_MILLIS);
  }

  /** @param registry where each store's follower meters go ({@link FollowerMeters}) */
  public RedisCacheStoreFactory(Vertx vertx, InstantSource clock, MeterRegistry registry) {
    this(vertx, clock, registry, StreamFollower.BLOCK_MILLIS);
  }

  /** @param followerBlockMillis how long a follower's read waits for new puts (tests shorten it) */
  RedisCacheStoreFactory(Vertx vertx, InstantSource clock, long followerBlockMillis) {
    this(vertx, clock, null, followerBlockMillis);
  }

  private RedisCacheStoreFactory(Vertx vertx, InstantSource clock, MeterRegistry registry, long followerBlockMillis) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.meters = registry == null ? null : new FollowerMeters(registry);
    this.followerBlockMillis = followerBlockMillis;
  }

  @Override
  public ResponseCacheStore open(SharedStoreSettings settings) {
    return openRedis(settings);
  }

  /** {@link #open} with the Redis-specific type (sync and follower stats). */
  public RedisResponseCacheStore openRedis(SharedStoreSettings settings) {
    if (settings.maxEntries() < 1) {
      throw new IllegalArgumentException("a shared cache store keeps at least one entry, got " + settings.maxEntries());
    }
    long timeoutMillis = Math.max(1, settings.timeout().toMillis());
    String endpoint = endpoint(settings.redisUrl());
    Redis shared = clients.computeIfAbsent(
        new ClientKey(settings.redisUrl().toString(), settings.password(), settings.timeout()),
        key -> Redis.createClient(vertx, options(settings, POOL_SIZE, POOL_WAITING)));
    CacheKeys keys = CacheKeys.of(settings.cacheName());
    String label = settings.cacheName() + " at " + endpoint;
    LocalIndex local = new LocalIndex(settings.indexes().get(), settings.maxEntries());
    StreamFollower follower = new StreamFollower(vertx, () -> Redis.createClient(vertx, options(settings, 1, 4)), keys,
        local, clock, timeoutMillis, followerBlockMillis, label, "aigis-cache-follower-" + keys.prefix().substring(13, 29));
    RedisResponseCacheStore store = new RedisResponseCacheStore(new RedisCalls(vertx, shared, timeoutMillis, endpoint),
        keys, local, follower, clock, settings.maxEntries(), label, closed -> {
          open.remove(closed);
          if (meters != null) {
            meters.closed(settings.cacheName(), closed);
          }
        });
    open.put(store, Boolean.TRUE);
    if (meters != null) {
      meters.opened(settings.cacheName(), store);
    }
    return store;
  }

  /** The stores open now (for tests and metrics). */
  public List<RedisResponseCacheStore> stores() {
    return List.copyOf(open.keySet());
  }

  /** Closes every store still open and the shared clients. */
  @Override
  public void close() {
    stores().forEach(RedisResponseCacheStore::close);
    clients.values().forEach(Redis::close);
    clients.clear();
  }

  @Override
  public String toString() {
    return "RedisCacheStoreFactory" + clients.keySet();
  }

  private static RedisOptions options(SharedStoreSettings settings, int poolSize, int poolWaiting) {
    long timeoutMillis = Math.max(1, settings.timeout().toMillis());
    RedisOptions options = new RedisOptions()
        .setConnectionString(settings.redisUrl().toString())
        .setMaxPoolSize(poolSize)
        .setMaxPoolWaiting(poolWaiting)
        .setNetClientOptions(new NetClientOptions()
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true)
            // at least a second: a slow connect is left to finish for the next call rather than retried
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1_000, timeoutMillis)))
            .setIdleTimeout(IDLE_SECONDS));
    if (settings.password() != null) {
      options.setPassword(settings.password());
    }
    return options;
  }

  /** {@code host:port}: what logs and errors name (never the URL, which may carry a password). */
  static String endpoint(URI url) {
    return url.getHost() + ":" + (url.getPort() < 0 ? 6379 : url.getPort());
  }
}
