package dev.aigis.bench.routing;

import dev.aigis.core.routing.semantic.NearestExamples;
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
 * The semantic router's classification alone (the embedding is the embedding service's, measured
 * elsewhere): an exact scan of {@code examples} random 384-dimension unit vectors in 11 labels
 * and the k=10 vote. 18,200 is the CLINC150 dev set as examples. Run: {@code java -cp
 * "aigis-bench/target/aigis-bench.jar:aigis-bench/target/lib/*" org.openjdk.jmh.Main
 * NearestExamplesBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NearestExamplesBenchmark {

  private static final int DIMENSION = 384;

  @Param({"100", "1000", "18200"})
  int examples;

  private NearestExamples classifier;
  private float[][] queries;
  private int next;

  @Setup
  public void setUp() {
    var random = new SplittableRandom(42);
    List<float[]> vectors = new ArrayList<>(examples);
    int[] labels = new int[examples];
    for (int i = 0; i < examples; i++) {
      vectors.add(unit(random));
      labels[i] = i % 11 == 10 ? NearestExamples.OUT_OF_SCOPE : i % 11;
    }
    classifier = new NearestExamples(vectors, labels, 10, 10);
    queries = new float[64][];
    for (int i = 0; i < queries.length; i++) {
      queries[i] = unit(random);
    }
  }

  private static float[] unit(SplittableRandom random) {
    float[] v = new float[DIMENSION];
    double norm = 0;
    for (int i = 0; i < DIMENSION; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < DIMENSION; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  @Benchmark
  public NearestExamples.Classification classify() {
    next = (next + 1) & 63;
    return classifier.classify(queries[next]);
  }
}
