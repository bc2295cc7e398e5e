package dev.aigis.bench.cache;

import dev.aigis.core.cache.CacheEntry;
import dev.aigis.core.cache.CacheKeys;
import dev.aigis.core.cache.CacheLookup;
import dev.aigis.core.cache.ParaphraseCheck;
import dev.aigis.core.cache.ResponseCacheStore;
import java.time.InstantSource;
import java.util.Random;
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
 * The semantic tier's lookup at 100k entries in ONE partition (single-turn questions to one model,
 * the common case), excluding the embedding: the memory store's HNSW search (Lucene), the
 * Caffeine read and the paraphrase check, as {@link CacheLookup#semantic} runs them on a worker.
 * {@code vectors=random}: 384-dimension random unit vectors (the graph's worst case: no structure);
 * {@code clustered}: 2,000 topics of 50 close variants each (real questions cluster), asked as
 * slightly perturbed variants, so most lookups have a near neighbour. {@code SampleTime} gives the
 * p50/p99. Loading and indexing 100k entries takes about a minute before the first iteration.
 * Run: {@code java -cp "aigis-bench/target/aigis-bench.jar:aigis-bench/target/lib/*"
 * org.openjdk.jmh.Main CacheLookupBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class CacheLookupBenchmark {

  private static final int ENTRIES = 100_000;
  private static final int DIMENSION = 384;
  private static final int QUERIES = 4_096;

  @Param({"random", "clustered"})
  public String vectors;

  /**
   * How many partitions the index holds: 1 (every entry single-turn to one model), or the 100k
   * entries' partition plus 1,000 one-entry partitions (multi-turn conversations, other system
   * prompts), which is what a cache serving real traffic holds.
   */
  @Param({"1", "1001"})
  public int partitions;

  private ResponseCacheStore store;
  private CacheLookup lookup;
  private CacheKeys.Keys[] keys;
  private float[][] queries;
  private int next;
  private long now;

  @Setup(Level.Trial)
  public void load() {
    now = System.currentTimeMillis();
    store = ResponseCacheStore.memory(ENTRIES * 2L, InstantSource.system());
    lookup = new CacheLookup(store, ParaphraseCheck.shipped());
    Random random = new Random(11);
    boolean clustered = vectors.equals("clustered");
    float[][] topics = new float[ENTRIES / 50][];
    for (int t = 0; t < topics.length; t++) {
      topics[t] = randomUnit(random);
    }
    String partition = "one-model-single-turn";
    for (int i = 0; i < ENTRIES; i++) {
      float[] v = clustered ? near(topics[i % topics.length], 0.25, random) : randomUnit(random);
      String question = "what is the answer to question number " + i;
      store.put(new CacheEntry("e" + i, "k" + i, partition, v, "{\"choices\":[]}", now, now + 3_600_000, question));
    }
    for (int p = 1; p < partitions; p++) {
      store.put(new CacheEntry("c" + p, "kc" + p, "conversation-" + p, randomUnit(random), "{\"choices\":[]}", now,
          now + 3_600_000, "what did you mean by that " + p));
    }
    keys = new CacheKeys.Keys[QUERIES];
    queries = new float[QUERIES][];
    for (int q = 0; q < QUERIES; q++) {
      int target = random.nextInt(ENTRIES);
      keys[q] = new CacheKeys.Keys("absent-" + q, partition, "tell me what is the answer to question number " + target);
      queries[q] = clustered ? near(topics[target % topics.length], 0.25, random) : randomUnit(random);
    }
    // The first search refreshes the index (flushes and builds the graph); keep it out of the samples.
    lookup.semantic(keys[0], queries[0], now).toCompletableFuture().join();
  }

  @TearDown(Level.Trial)
  public void close() {
    store.close();
  }

  @Benchmark
  public CacheLookup.Hit semanticLookup() {
    int q = next++ & (QUERIES - 1);
    return lookup.semantic(keys[q], queries[q], now).toCompletableFuture().join();
  }

  private static float[] randomUnit(Random random) {
    float[] v = new float[DIMENSION];
    for (int d = 0; d < DIMENSION; d++) {
      v[d] = (float) random.nextGaussian();
    }
    return normalise(v);
  }

  /** {@code centre} plus Gaussian noise of {@code spread} per unit length, normalised. */
  private static float[] near(float[] centre, double spread, Random random) {
    float[] v = new float[DIMENSION];
    double scale = spread / Math.sqrt(DIMENSION);
    for (int d = 0; d < DIMENSION; d++) {
      v[d] = (float) (centre[d] + scale * random.nextGaussian());
    }
    return normalise(v);
  }

  private static float[] normalise(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    float inverse = (float) (1 / Math.sqrt(norm));
    for (int d = 0; d < v.length; d++) {
      v[d] *= inverse;
    }
    return v;
  }
}
