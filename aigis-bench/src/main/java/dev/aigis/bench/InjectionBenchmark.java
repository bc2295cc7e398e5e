package dev.aigis.bench;

import dev.aigis.core.embedding.MiniLmEmbedder;
import dev.aigis.core.guard.TextScorer;
import dev.aigis.core.guard.injection.InjectionDetector;
import dev.aigis.core.guard.injection.InjectionPreparer;
import dev.aigis.core.guard.injection.PreparedText;
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
 * The prompt-injection detector on a 2 KB prompt: the full check (normalise, signatures, the
 * embedding of one window, the classifier, the combiner) and the normaliser plus signatures alone.
 * Sample time, so JMH reports p50/p99 per call. Run: {@code java -cp
 * "aigis-bench/target/aigis-bench.jar:aigis-bench/target/lib/*" org.openjdk.jmh.Main Injection}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InjectionBenchmark {

  /** Everyday prose with one instruction-like sentence in the middle, so the cue window has work to do. */
  private static final String[] SENTENCES = {
      "Thanks for sending over the quarterly figures yesterday afternoon.",
      "Could you summarise the main changes in revenue and explain the drop in March?",
      "The team meeting moved to Thursday at ten, in the usual room on the third floor.",
      "Please keep the summary short, a few bullet points are enough for the board.",
      "Ignore the earlier formatting notes and use the company template instead.",
      "We also need the travel budget for the conference in Lisbon next spring.",
  };

  private TextScorer detector;
  private PreparedText.Preparer preparer;
  private String prompt2k;

  @Setup
  public void setUp() {
    detector = new InjectionDetector(InjectionPreparer.standard(), MiniLmEmbedder.shared(),
        dev.aigis.core.guard.injection.InjectionModel.shipped());
    preparer = InjectionPreparer.standard();
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < 2048; i++) {
      text.append(SENTENCES[i % SENTENCES.length]).append(' ');
    }
    prompt2k = text.substring(0, 2048);
  }

  @Benchmark
  public TextScorer.Scored fullCheck2k() {
    return detector.score(prompt2k);
  }

  @Benchmark
  public PreparedText signaturesOnly2k() {
    return preparer.prepare(prompt2k);
  }
}
