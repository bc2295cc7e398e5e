package dev.aigis.bench;

import dev.aigis.core.guard.anomaly.AnomalyDetector;
import dev.aigis.core.guard.anomaly.AnomalySettings;
import dev.aigis.core.guard.anomaly.AnomalyVerdict;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the anomaly detector costs per request: one identity among 1,000 with a 384-dimension
 * embedding (the scoring, the centroid update and the Caffeine lookup), on the system clock.
 * Run: {@code java -cp "aigis-bench/target/aigis-bench.jar:aigis-bench/target/lib/*"
 * org.openjdk.jmh.Main AnomalyBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AnomalyBenchmark {

  private static final int KEYS = 1000;

  private AnomalyDetector detector;
  private String[] keys;
  private float[][] vectors;
  private int next;

  @Setup
  public void setUp() {
    detector = new AnomalyDetector(AnomalySettings.defaults(), Clock.systemUTC());
    keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "team-" + i + "/service-account";
    }
    Random random = new Random(7);
    vectors = new float[64][384];
    for (float[] vector : vectors) {
      double norm = 0;
      for (int d = 0; d < vector.length; d++) {
        vector[d] = (float) random.nextGaussian();
        norm += vector[d] * vector[d];
      }
      for (int d = 0; d < vector.length; d++) {
        vector[d] /= (float) Math.sqrt(norm);
      }
    }
  }

  @Benchmark
  public AnomalyVerdict observeRequest() {
    int i = next++;
    return detector.observeRequest(keys[i % KEYS], 300 + (i & 255), vectors[i & 63]);
  }

  @Benchmark
  public AnomalyVerdict observeRequestWithoutEmbedding() {
    int i = next++;
    return detector.observeRequest(keys[i % KEYS], 300 + (i & 255), null);
  }
}
