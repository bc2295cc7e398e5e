package dev.aigis.bench;

import dev.aigis.core.guard.StreamTextFilter;
import dev.aigis.core.guard.pii.PiiAction;
import dev.aigis.core.guard.pii.PiiPolicy;
import dev.aigis.core.guard.pii.PiiRedactor;
import dev.aigis.core.guard.pii.PiiScanner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * PII detection on the request and response paths: scanning and redacting a 2 KB chat text with
 * every entity type enabled, and the streaming redactor per delta (4-char deltas, about one token
 * each). Run: {@code java -cp "aigis-bench/target/aigis-bench.jar:aigis-bench/target/lib/*"
 * org.openjdk.jmh.Main PiiBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PiiBenchmark {

  static final int DELTA = 4;
  /** 2 KB / 4 chars. */
  static final int DELTAS = 512;

  private PiiScanner scanner;
  private PiiRedactor redactor;
  private String text2k;
  private String plain2k;
  private List<String> deltas;

  @Setup
  public void setUp() {
    redactor = new PiiRedactor(PiiPolicy.all(PiiAction.REDACT, null));
    scanner = redactor.scanner();
    text2k = text(true);
    plain2k = text(false);
    deltas = new ArrayList<>();
    for (int i = 0; i < DELTAS; i++) {
      deltas.add(text2k.substring(i * DELTA, (i + 1) * DELTA));
    }
  }

  /** A 2048-char support conversation; with entities: an email, a phone, a card, an IBAN, an IP. */
  static String text(boolean entities) {
    String base = entities
        ? "Hello, I am writing about my order from last week. You can reach me at jane.doe@example.com "
            + "or call me at (202) 456-1111 after five. The payment went through card 4111 1111 1111 1111 "
            + "and the refund should go to GB82 WEST 1234 5698 7654 32. The shop's server at 10.20.30.40 "
            + "showed an error page when I tried to check the status, and the tracking number did not work. "
        : "Hello, I am writing about my order from last week. You can reach me by email or by phone in "
            + "the evening after five. The payment went through my usual card and the refund should go to "
            + "my bank account as before. The shop's web server showed an error page when I tried to check "
            + "the status of the delivery, and the tracking number you sent me does not work either. ";
    var sb = new StringBuilder();
    while (sb.length() < 2048) {
      sb.append(base);
    }
    return sb.substring(0, 2048);
  }

  @Benchmark
  public Object scan2kWithEntities() {
    return scanner.scan(text2k);
  }

  @Benchmark
  public Object scan2kPlain() {
    return scanner.scan(plain2k);
  }

  @Benchmark
  public Object redact2kWithEntities() {
    return redactor.apply(text2k);
  }

  /** The 2 KB text streamed in 4-char deltas; the score is per delta. */
  @Benchmark
  @OperationsPerInvocation(DELTAS)
  public void streamPerDelta(Blackhole bh) {
    StreamTextFilter filter = redactor.streaming();
    for (String d : deltas) {
      bh.consume(filter.push(d));
    }
    bh.consume(filter.finish());
  }
}
