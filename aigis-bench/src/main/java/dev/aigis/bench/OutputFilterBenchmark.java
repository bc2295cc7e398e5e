package dev.aigis.bench;

import dev.aigis.core.guard.StreamTextFilter;
import dev.aigis.core.guard.TextScorer;
import dev.aigis.core.guard.output.OutputFilter;
import dev.aigis.core.guard.output.OutputStreamMonitor;
import java.util.ArrayList;
import java.util.List;
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
 * The response content filter: a whole 2 KB answer (5 windows, one embedding each), a streamed
 * answer per delta (rules on every delta, the classifier every 200 characters, amortised), and the
 * rule check alone on one delta's tail. Run: {@code java -cp "aigis-bench/target/aigis-bench.jar:
 * aigis-bench/target/lib/*" org.openjdk.jmh.Main OutputFilter -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OutputFilterBenchmark {

  /** A benign prose answer of 2 KB, which passes (a blocked stream would skip its later checks). */
  static final String ANSWER_2K = answer(2048);
  /** About four characters per delta, as chat models stream English. */
  private static final int DELTA = 4;

  private OutputFilter filter;
  private List<String> deltas;
  private String tail;
  private OutputStreamMonitor monitor;
  private int next;

  @Setup
  public void setUp() {
    filter = OutputFilter.shipped();
    deltas = new ArrayList<>();
    for (int i = 0; i < ANSWER_2K.length(); i += DELTA) {
      deltas.add(ANSWER_2K.substring(i, Math.min(ANSWER_2K.length(), i + DELTA)));
    }
    tail = ANSWER_2K.substring(0, OutputStreamMonitor.DEFAULT_STRIDE * 2 + DELTA);
    monitor = filter.monitor();
  }

  /** One whole 2 KB answer checked; us/op = latency of a non-streamed answer's check. */
  @Benchmark
  public TextScorer.Scored check2k() {
    return filter.score(ANSWER_2K);
  }

  /** One streamed delta through the monitor, the classifier's runs amortised over the deltas. */
  @Benchmark
  public StreamTextFilter.Release streamDelta() {
    if (next == deltas.size()) {
      monitor.finish();
      monitor = filter.monitor();
      next = 0;
    }
    return monitor.push(deltas.get(next++));
  }

  /** The per-delta rule check alone: every category rule over the recent tail. */
  @Benchmark
  public String ruleCheckPerDelta() {
    return filter.ruleBlock(tail);
  }

  static String answer(int length) {
    String[] lines = {
        "Sourdough bread is leavened by a culture of wild yeast and lactic acid bacteria rather than by baker's yeast. ",
        "The bacteria produce the acids that give the loaf its tang, while the yeast makes the gas that lifts the dough. ",
        "Bakers in ancient Egypt are thought to have made bread this way, and it remained the usual method in Europe ",
        "until commercial yeast became common in the nineteenth century. A starter is kept alive by regular feeding ",
        "with flour and water, and many bakeries say theirs has been going for decades. The long fermentation also ",
        "changes the texture of the crumb and helps the bread keep for longer than a loaf made with commercial yeast.\n\n"};
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; sb.length() < length; i++) {
      sb.append(lines[i % lines.length]);
    }
    return sb.substring(0, length);
  }
}
