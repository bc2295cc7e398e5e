package dev.aigis.server.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.cache.CacheEntry;
import dev.aigis.core.cache.SemanticMatch;
import dev.aigis.core.cache.SharedStoreSettings;
import dev.aigis.testkit.LocalRedis;
import dev.aigis.testkit.ManualClock;
import dev.aigis.testkit.RequiresRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared store against the real Redis: each test its own cache name, its keys deleted after. */
@RequiresRedis
class RedisResponseCacheStoreTest {

  static Vertx vertx;
  static Redis admin;
  final ManualClock clock = ManualClock.at("2031-05-06T07:08:09Z");
  final String cacheName = "test/cache-" + UUID.randomUUID() + "/entry";
  final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    admin = Redis.createClient(vertx, LocalRedis.uri().toString());
  }

  @AfterAll
  static void stop() throws Exception {
    admin.close();
    await(vertx.close());
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable closeable : closing.reversed()) {
      closeable.close();
    }
    List<String> keys = keys();
    if (!keys.isEmpty()) {
      redis(Command.DEL, keys.toArray());
    }
  }

  @Test
  void anEntryPutIsFoundByItsExactKeyAndByASimilarQuestion() throws Exception {
    RedisResponseCacheStore store = open(100);
    CacheEntry entry = entry("q1", "p1", unit(1, 0.1f, 0), Duration.ofMinutes(5));
    await(store.put(entry));
    await(store.synced());

    CacheEntry exact = await(store.exact("q1", clock.millis()));
    assertThat(exact.id()).isEqualTo(entry.id());
    assertThat(exact.completion()).isEqualTo(entry.completion());
    assertThat(exact.vector()).containsExactly(entry.vector());
    assertThat(exact.expiresAtMillis()).isEqualTo(entry.expiresAtMillis());
    assertThat(exact.question()).isEqualTo("the question of q1");
    assertThat(await(store.exact("q2", clock.millis()))).isNull();

    SemanticMatch match = await(store.nearest("p1", unit(1, 0.12f, 0.01f), 0.9, clock.millis()));
    assertThat(match.entry().id()).isEqualTo(entry.id());
    assertThat(match.similarity()).isGreaterThan(0.99);
    assertThat(await(store.nearest("p2", unit(1, 0.1f, 0), 0.9, clock.millis()))).as("another partition").isNull();
    assertThat(await(store.nearest("p1", unit(0, 1, 0), 0.9, clock.millis()))).as("a different question").isNull();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void entriesLiveInOneHashWithTheEntrysTtlAndOneStream() throws Exception {
    RedisResponseCacheStore store = open(100);
    await(store.put(entry("q1", "p1", unit(1, 0, 0), Duration.ofMinutes(5))));

    String prefix = CacheKeys.of(cacheName).prefix();
    assertThat(prefix).matches("aigis:cache:\\{[0-9a-f]{16}\\}:");
    assertThat(keys()).containsExactlyInAnyOrder(prefix + "x:q1", prefix + "log", prefix + "epoch");
    long ttl = redis(Command.PTTL, prefix + "x:q1").toLong();
    assertThat(ttl).isBetween(1L, Duration.ofMinutes(5).toMillis());
    assertThat(redis(Command.PTTL, prefix + "log").toLong()).isBetween(1L, Duration.ofMinutes(5).toMillis());
    assertThat(redis(Command.PTTL, prefix + "epoch").toLong()).isBetween(1L, Duration.ofMinutes(5).toMillis());
    assertThat(redis(Command.XLEN, prefix + "log").toLong()).isEqualTo(1);
  }

  @Test
  void expiredEntriesAreNeitherServedNorIndexed() throws Exception {
    RedisResponseCacheStore store = open(100);
    await(store.put(entry("q1", "p1", unit(1, 0, 0), Duration.ofMinutes(1))));
    await(store.synced());
    assertThat(store.size()).isEqualTo(1);

    long later = clock.millis() + Duration.ofMinutes(2).toMillis();
    assertThat(await(store.exact("q1", later))).isNull();
    assertThat(await(store.nearest("p1", unit(1, 0, 0), 0.5, later))).isNull();
    assertThat(store.size()).as("dropped from the local index on the way").isZero();

    CacheEntry stale = new CacheEntry("old", "q2", "p1", unit(1, 0, 0), "{}", clock.millis() - 10_000, clock.millis() - 1);
    await(store.put(stale));
    assertThat(keys()).as("an entry that expired before it was put is not written").doesNotContain(
        CacheKeys.of(cacheName).entry("q2"));
  }

  @Test
  void anEntryRedisLostIsDroppedAndTheNextCandidateServed() throws Exception {
    RedisResponseCacheStore store = open(100);
    CacheEntry best = entry("q1", "p1", unit(1, 0, 0), Duration.ofMinutes(5));
    CacheEntry second = entry("q2", "p1", unit(1, 0.2f, 0), Duration.ofMinutes(5));
    await(store.put(best));
    await(store.put(second));
    await(store.synced());
    redis(Command.DEL, CacheKeys.of(cacheName).entry("q1")); // as Redis's own eviction would

    SemanticMatch match = await(store.nearest("p1", unit(1, 0, 0), 0.9, clock.millis()));
    assertThat(match.entry().id()).isEqualTo(second.id());
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void aNewerPutOfTheSameRequestReplacesTheOlder() throws Exception {
    RedisResponseCacheStore store = open(100);
    await(store.put(entry("q1", "p1", unit(1, 0, 0), Duration.ofMinutes(5))));
    CacheEntry newer = entry("q1", "p1", unit(1, 0, 0), Duration.ofMinutes(5));
    await(store.put(newer));
    await(store.synced());

    assertThat(store.size()).isEqualTo(1);
    assertThat(await(store.exact("q1", clock.millis())).id()).isEqualTo(newer.id());
    assertThat(await(store.nearest("p1", unit(1, 0, 0), 0.9, clock.millis())).entry().id()).isEqualTo(newer.id());
  }

  @Test
  void overMaxEntriesTheOldestGoFromRedisAndFromTheIndex() throws Exception {
    RedisResponseCacheStore store = open(2);
    CacheEntry first = entry("q1", "p1", unit(1, 0, 0), Duration.ofMinutes(5));
    await(store.put(first));
    await(store.put(entry("q2", "p1", unit(0, 1, 0), Duration.ofMinutes(5))));
    await(store.put(entry("q3", "p1", unit(0, 0, 1), Duration.ofMinutes(5))));
    await(store.synced());

    CacheKeys keys = CacheKeys.of(cacheName);
    assertThat(redis(Command.XLEN, keys.stream()).toLong()).isEqualTo(2);
    assertThat(keys()).containsExactlyInAnyOrder(keys.entry("q2"), keys.entry("q3"), keys.stream(), keys.epoch());
    assertThat(await(store.exact("q1", clock.millis()))).isNull();
    assertThat(store.size()).isEqualTo(2);
    assertThat(await(store.nearest("p1", unit(1, 0, 0), 0.9, clock.millis()))).isNull();
  }

  @Test
  void twoStoresOnOneCacheServeEachOthersEntries() throws Exception {
    RedisResponseCacheStore a = open(100);
    RedisResponseCacheStore b = open(100);
    await(a.caughtUp());
    await(b.caughtUp());

    CacheEntry fromA = entry("qa", "p1", unit(1, 0, 0), Duration.ofMinutes(5));
    CacheEntry fromB = entry("qb", "p1", unit(0, 1, 0), Duration.ofMinutes(5));
    await(a.put(fromA));
    await(b.put(fromB));
    await(a.synced());
    await(b.synced());

    assertThat(await(b.nearest("p1", unit(1, 0.05f, 0), 0.9, clock.millis())).entry().id()).isEqualTo(fromA.id());
    assertThat(await(a.nearest("p1", unit(0.05f, 1, 0), 0.9, clock.millis())).entry().id()).isEqualTo(fromB.id());
    assertThat(await(b.exact("qa", clock.millis())).id()).isEqualTo(fromA.id());
    assertThat(a.size()).isEqualTo(2);
    assertThat(b.size()).isEqualTo(2);
    assertThat(b.stats().applied()).isEqualTo(2);
  }

  @Test
  void aStoreOpenedLaterCatchesUpFromTheStreamSkippingExpiredEntries() throws Exception {
    RedisResponseCacheStore a = open(100);
    await(a.put(entry("q1", "p1", unit(1, 0, 0), Duration.ofMinutes(1))));
    await(a.put(entry("q2", "p1", unit(0, 1, 0), Duration.ofMinutes(10))));
    await(a.put(entry("q3", "p2", unit(0, 0, 1), Duration.ofMinutes(10))));

    clock.advance(Duration.ofMinutes(2));
    RedisResponseCacheStore late = open(100);
    await(late.caughtUp());

    assertThat(late.size()).isEqualTo(2);
    assertThat(late.stats().applied()).isEqualTo(3);
    assertThat(await(late.nearest("p1", unit(0, 1, 0), 0.9, clock.millis())).entry().exactKey()).isEqualTo("q2");
    assertThat(await(late.nearest("p2", unit(0, 0, 1), 0.9, clock.millis())).entry().exactKey()).isEqualTo("q3");
  }

  @Test
  void aStreamThatNoLongerHoldsTheLastAppliedEntryIsReadAgainFromItsStart() throws Exception {
    RedisResponseCacheStore a = open(100);
    await(a.put(entry("q1", "p1", unit(1, 0, 0), Duration.ofMinutes(5))));
    await(a.synced());
    assertThat(a.size()).isEqualTo(1);

    // Another stream under the same key, with ids below the last one applied (a failover to a replica
    // that lagged, say): a follower reading on from its last id would never see these.
    CacheKeys keys = CacheKeys.of(cacheName);
    CacheEntry replacement = entry("q9", "p1", unit(0, 1, 0), Duration.ofMinutes(5));
    redis(Command.DEL, keys.stream(), keys.entry("q1"));
    redis(Command.HSET, keys.entry("q9"), "id", replacement.id(), "entry", EntryCodec.encode(replacement));
    redis(Command.XADD, keys.stream(), "1-1", "i", replacement.id(), "k", "q9", "p", "p1",
        "v", EntryCodec.vector(replacement.vector()), "e", Long.toString(replacement.expiresAtMillis()));

    await(a.follower().when(() -> a.stats().rebuilds() == 1 && a.follower().lastId().equals(new StreamId(1, 1))));
    assertThat(a.size()).isEqualTo(1);
    assertThat(await(a.nearest("p1", unit(0, 1, 0), 0.9, clock.millis())).entry().id()).isEqualTo(replacement.id());
    assertThat(await(a.nearest("p1", unit(1, 0, 0), 0.9, clock.millis()))).isNull();
  }

  @Test
  void aReplicaOutrunByMoreThanMaxEntriesReadsOnWithoutARebuild() throws Exception {
    RedisResponseCacheStore writer = open(2);
    CountDownLatch firstAdd = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    BruteForceIndex gated = new BruteForceIndex() {
      @Override
      public void add(String id, String partition, float[] unitVector) {
        firstAdd.countDown();
        try {
          release.await(30, TimeUnit.SECONDS); // the follower stalls here while the writer puts on
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        super.add(id, partition, unitVector);
      }
    };
    RedisCacheStoreFactory factory = new RedisCacheStoreFactory(vertx, clock, 200);
    closing.add(factory);
    RedisResponseCacheStore reader = factory.openRedis(new SharedStoreSettings(LocalRedis.uri(), null,
        Duration.ofSeconds(10), cacheName, 2, () -> gated));
    await(reader.caughtUp());

    await(writer.put(entry("q1", "p1", unit(1, 0, 0), Duration.ofMinutes(5))));
    assertThat(firstAdd.await(30, TimeUnit.SECONDS)).isTrue();
    await(writer.put(entry("q2", "p1", unit(0, 1, 0), Duration.ofMinutes(5))));
    await(writer.put(entry("q3", "p1", unit(0, 0, 1), Duration.ofMinutes(5))));
    CacheEntry newest = entry("q4", "p1", unit(1, 1, 0), Duration.ofMinutes(5));
    await(writer.put(newest));
    release.countDown();
    await(reader.synced());

    assertThat(reader.stats().overruns()).isEqualTo(1);
    assertThat(reader.stats().rebuilds()).isZero();
    assertThat(reader.size()).as("the newest two, as in Redis").isEqualTo(2);
    assertThat(await(reader.nearest("p1", unit(1, 1, 0), 0.9, clock.millis())).entry().id()).isEqualTo(newest.id());
    assertThat(await(reader.nearest("p1", unit(1, 0, 0), 0.9, clock.millis()))).isNull();
  }

  @Test
  void closingWhileAPageIsAppliedClosesTheIndexAfterIt() throws Exception {
    RedisResponseCacheStore writer = open(100);
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch adding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch indexClosed = new CountDownLatch(1);
    BruteForceIndex index = new BruteForceIndex() {
      @Override
      public void add(String id, String partition, float[] unitVector) {
        events.add("add " + id);
        adding.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        super.add(id, partition, unitVector);
        events.add("added " + id);
      }

      @Override
      public void close() {
        events.add("closed");
        indexClosed.countDown();
      }
    };
    RedisCacheStoreFactory factory = new RedisCacheStoreFactory(vertx, clock, 200);
    closing.add(factory);
    RedisResponseCacheStore reader = factory.openRedis(new SharedStoreSettings(LocalRedis.uri(), null,
        Duration.ofSeconds(10), cacheName, 100, () -> index));
    await(writer.put(entry("q1", "p1", unit(1, 0, 0), Duration.ofMinutes(5))));
    await(writer.put(entry("q2", "p1", unit(0, 1, 0), Duration.ofMinutes(5))));
    assertThat(adding.await(30, TimeUnit.SECONDS)).isTrue();

    reader.close();
    release.countDown();
    assertThat(indexClosed.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(events).as("the insert under way finishes, the rest of the page is skipped, then the index closes")
        .containsExactly("add q1", "added q1", "closed");
  }

  @Test
  void theFollowerIsMeteredPerCache() throws Exception {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    RedisCacheStoreFactory factory = new RedisCacheStoreFactory(vertx, clock, registry);
    closing.add(factory);
    RedisResponseCacheStore store = factory.openRedis(new SharedStoreSettings(LocalRedis.uri(), null,
        Duration.ofSeconds(10), cacheName, 100, BruteForceIndex::new));
    await(store.put(entry("q1", "p1", unit(1, 0, 0), Duration.ofMinutes(5))));
    await(store.put(entry("q2", "p1", unit(0, 1, 0), Duration.ofMinutes(5))));
    await(store.synced());

    assertThat(registry.get("aigis_cache_stream_applied").tag("cache", cacheName).functionCounter().count()).isEqualTo(2);
    assertThat(registry.get("aigis_cache_stream_rebuilds").tag("cache", cacheName).functionCounter().count()).isZero();
    assertThat(registry.get("aigis_cache_stream_following").tag("cache", cacheName).gauge().value()).isEqualTo(1);
    assertThat(registry.get("aigis_cache_stream_behind").tag("cache", cacheName).gauge().value()).isZero();
    store.close();
    assertThat(registry.get("aigis_cache_stream_following").tag("cache", cacheName).gauge().value())
        .as("a closed store is no longer read").isZero();
  }

  @Test
  void theStoreNamesNoPassword() {
    SharedStoreSettings settings = new SharedStoreSettings(LocalRedis.uri(), "pa55-w0rd", Duration.ofSeconds(10),
        cacheName, 100, BruteForceIndex::new);
    RedisCacheStoreFactory factory = new RedisCacheStoreFactory(vertx, clock);
    closing.add(factory);
    RedisResponseCacheStore store = factory.openRedis(settings);
    assertThat(store.toString()).contains(cacheName).contains("127.0.0.1:6379").doesNotContain("pa55-w0rd");
    assertThat(factory.toString()).contains("127.0.0.1:6379").doesNotContain("pa55-w0rd");
    assertThat(settings.toString()).doesNotContain("pa55-w0rd");
  }

  // --- helpers

  RedisResponseCacheStore open(long maxEntries) {
    RedisCacheStoreFactory factory = new RedisCacheStoreFactory(vertx, clock, 200);
    closing.add(factory);
    return factory.openRedis(new SharedStoreSettings(LocalRedis.uri(), null, Duration.ofSeconds(10), cacheName,
        maxEntries, BruteForceIndex::new));
  }

  CacheEntry entry(String exactKey, String partition, float[] vector, Duration ttl) {
    long now = clock.millis();
    return new CacheEntry(UUID.randomUUID().toString(), exactKey, partition, vector,
        "{\"id\":\"chatcmpl-" + exactKey + "\",\"object\":\"chat.completion\"}", now, now + ttl.toMillis(),
        "the question of " + exactKey);
  }

  static float[] unit(float... values) {
    double norm = 0;
    for (float value : values) {
      norm += value * value;
    }
    float[] unit = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      unit[i] = (float) (values[i] / Math.sqrt(norm));
    }
    return unit;
  }

  List<String> keys() throws Exception {
    return redis(Command.KEYS, CacheKeys.of(cacheName).prefix().replace("{", "\\{").replace("}", "\\}") + "*")
        .stream().map(Response::toString).toList();
  }

  static Response redis(Command command, Object... args) throws Exception {
    return await(admin.send(Request.cmd(command, args)));
  }

  static <T> T await(Future<T> future) throws Exception {
    return await(future.toCompletionStage());
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e;
    }
  }
}
