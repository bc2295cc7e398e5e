package dev.aigis.bench;

import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ConfiguredProcessor;
import dev.aigis.core.processing.FailureMode;
import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.ProcessingObserver;
import dev.aigis.core.processing.Scheduler;
import dev.aigis.core.processing.cel.CelProcessorFactory;
import dev.aigis.model.processing.InProcessSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
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
 * Request-side overhead of a processing chain on a 4 KB JSON chat request: 0, 1 or 8 InProcess CEL
 * processors, each setting a header from {@code json(request.body).model} (so each parses the body),
 * run to completion per operation on a direct executor, as the data plane runs them on the event loop.
 * Per op: a fresh {@link ProcessedRequest} (headers copied, body shared), one chain exchange.
 * Run: {@code java -cp "aigis-bench/target/aigis-bench.jar:aigis-bench/target/lib/*"
 * org.openjdk.jmh.Main ChainBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class ChainBenchmark {

  private static final Executor DIRECT = Runnable::run;
  /** CEL processors complete synchronously, so no timer is ever armed; a no-op keeps the run honest. */
  private static final Scheduler NO_TIMERS = (delay, task) -> () -> { };

  @Param({"0", "1", "8"})
  public int processors;

  private ProcessingChain chain;
  private byte[] body;

  @Setup
  public void setUp() {
    var factory = new CelProcessorFactory();
    List<ConfiguredProcessor> list = new ArrayList<>();
    for (int i = 0; i < processors; i++) {
      var spec = new InProcessSpec(new InProcessSpec.Mutations(
          List.of(new InProcessSpec.Assignment("x-model-" + i, "json(request.body).model")), null, null, null), null);
      CelProcessorFactory.Compilation compilation = factory.compile(spec);
      if (!compilation.ok()) {
        throw new IllegalStateException(compilation.errors().toString());
      }
      list.add(new ConfiguredProcessor("p" + i, FailureMode.FailClosed, null, compilation.processor()));
    }
    chain = new ProcessingChain("bench", list);
    body = SseDecodeBenchmark.requestBody(4096);
  }

  /** One request through the chain; the outcome (with the mutated headers) is returned to defeat DCE. */
  @Benchmark
  public Object request() {
    var headers = HeaderList.of("content-type", "application/json", "authorization", "Bearer sk-client",
        "x-request-id", "bench-1", "user-agent", "OpenAI/Python 1.54.0");
    var request = new ProcessedRequest("POST", "/v1/chat/completions", headers, body, "gpt-4o-mini");
    ChainOutcome outcome = chain.start(DIRECT, NO_TIMERS, ProcessingObserver.NONE).request(request)
        .toCompletableFuture().join();
    if (!(outcome instanceof ChainOutcome.Proceed)) {
      throw new IllegalStateException("chain did not proceed: " + outcome);
    }
    return headers;
  }
}
