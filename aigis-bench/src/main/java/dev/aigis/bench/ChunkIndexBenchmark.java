package dev.aigis.bench;

import dev.aigis.core.rag.Chunk;
import dev.aigis.core.rag.ChunkIndex;
import dev.aigis.core.rag.Retrieved;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One brute-force top-3 search of a knowledge base's index ({@code dev.aigis.core.rag.ChunkIndex}):
 * random unit vectors of the embedding model's 384 dimensions. Run: {@code java -cp
 * "aigis-bench/target/aigis-bench.jar:aigis-bench/target/lib/*" org.openjdk.jmh.Main ChunkIndex}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ChunkIndexBenchmark {

  private static final int DIMENSION = 384;

  @Param({"1000", "10000", "20000"})
  int chunks;

  private ChunkIndex index;
  private float[] query;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    List<Chunk> all = new ArrayList<>(chunks);
    List<float[]> vectors = new ArrayList<>(chunks);
    for (int i = 0; i < chunks; i++) {
      all.add(new Chunk("doc-" + (i / 10) + ".md", "", i % 10 + 1, "chunk " + i));
      vectors.add(unit(random));
    }
    index = ChunkIndex.of(all, vectors);
    query = unit(random);
  }

  private static float[] unit(SplittableRandom random) {
    float[] vector = new float[DIMENSION];
    double norm = 0;
    for (int d = 0; d < DIMENSION; d++) {
      vector[d] = (float) random.nextGaussian();
      norm += vector[d] * vector[d];
    }
    for (int d = 0; d < DIMENSION; d++) {
      vector[d] /= (float) Math.sqrt(norm);
    }
    return vector;
  }

  @Benchmark
  public List<Retrieved> searchTop3() {
    return index.search(query, 3, -1);
  }
}
