package dev.aigis.bench;

import dev.aigis.core.cache.CacheEntry;
import dev.aigis.core.cache.SemanticMatch;
import dev.aigis.core.cache.SharedStoreSettings;
import dev.aigis.core.cache.VectorIndex;
import dev.aigis.server.cache.RedisCacheStoreFactory;
import dev.aigis.server.cache.RedisResponseCacheStore;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Redis response-cache store against the Redis on 127.0.0.1:6379 (AIGIS_REDIS_URL), one caller
 * at a time, with {@code entries} 384-dimension entries (random unit vectors, 1 KiB answers) in
 * one partition and the Lucene HNSW index: a put (script: hash, stream, eviction), an exact hit
 * (one HGET), a semantic hit (index search on this thread, then one HGET), and the catch-up of a
 * replica opened on a full stream (read, decode and index every entry).
 * Run: {@code java -cp "aigis-bench/target/aigis-bench.jar:aigis-bench/target/lib/*"
 * org.openjdk.jmh.Main RedisCacheStoreBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class RedisCacheStoreBenchmark {

  static final int DIMENSIONS = 384;

  @Param({"10000"})
  public int entries;

  private Vertx vertx;
  private RedisCacheStoreFactory factory;
  private RedisResponseCacheStore store;
  private SharedStoreSettings settings;
  private final Random random = new Random(42);
  private final List<float[]> vectors = new ArrayList<>();
  private String answer;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    vertx = Vertx.vertx();
    factory = new RedisCacheStoreFactory(vertx, InstantSource.system());
    URI url = URI.create(System.getenv().getOrDefault("AIGIS_REDIS_URL", "redis://127.0.0.1:6379"));
    settings = new SharedStoreSettings(url, null, Duration.ofSeconds(5), "bench/" + UUID.randomUUID() + "/cache",
        entries, VectorIndex::inMemory);
    answer = "{\"object\":\"chat.completion\",\"choices\":[{\"message\":{\"content\":\"" + "x".repeat(1024) + "\"}}]}";
    store = factory.openRedis(settings);
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < entries; i++) {
      float[] vector = unit();
      vectors.add(vector);
      puts.add(store.put(entry("k" + i, vector)).toCompletableFuture());
      if (puts.size() == 256) {
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        puts.clear();
      }
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    store.synced().toCompletableFuture().get(300, TimeUnit.SECONDS);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    String stream = store.streamKey();
    factory.close();
    Redis redis = Redis.createClient(vertx, settings.redisUrl().toString());
    String pattern = stream.substring(0, stream.length() - 3).replace("{", "\\{").replace("}", "\\}") + "*";
    Response keys = redis.send(Request.cmd(Command.KEYS, pattern)).toCompletionStage().toCompletableFuture().get();
    for (Response key : keys) {
      redis.send(Request.cmd(Command.DEL, key.toString())).toCompletionStage().toCompletableFuture().get();
    }
    redis.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Benchmark
  public void put() throws Exception {
    // replaces an existing entry: the stream and the index stay at their size
    int i = next++ % entries;
    store.put(entry("k" + i, vectors.get(i))).toCompletableFuture().get();
  }

  @Benchmark
  public CacheEntry exactHit() throws Exception {
    return store.exact("k" + (next++ % entries), System.currentTimeMillis()).toCompletableFuture().get();
  }

  @Benchmark
  public SemanticMatch semanticHit() throws Exception {
    float[] vector = vectors.get(next++ % entries);
    return store.nearest("p", vector, 0.9, System.currentTimeMillis()).toCompletableFuture().get();
  }

  /** A replica opened on the full stream, until it has indexed every entry. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public long catchUp() throws Exception {
    try (RedisResponseCacheStore replica = factory.openRedis(settings)) {
      replica.caughtUp().toCompletableFuture().get(300, TimeUnit.SECONDS);
      return replica.size();
    }
  }

  private CacheEntry entry(String key, float[] vector) {
    long now = System.currentTimeMillis();
    return new CacheEntry(UUID.randomUUID().toString(), key, "p", vector, answer, now, now + 3_600_000, "question " + key);
  }

  private float[] unit() {
    float[] vector = new float[DIMENSIONS];
    double norm = 0;
    for (int i = 0; i < DIMENSIONS; i++) {
      vector[i] = (float) random.nextGaussian();
      norm += vector[i] * vector[i];
    }
    for (int i = 0; i < DIMENSIONS; i++) {
      vector[i] /= (float) Math.sqrt(norm);
    }
    return vector;
  }
}
