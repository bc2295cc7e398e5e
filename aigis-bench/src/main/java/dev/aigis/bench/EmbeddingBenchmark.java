package dev.aigis.bench;

import dev.aigis.core.embedding.EmbeddingObserver;
import dev.aigis.core.embedding.EmbeddingService;
import dev.aigis.core.embedding.EmbeddingSettings;
import dev.aigis.core.embedding.MiniLmEmbedder;
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
 * One request's embedding latency: MiniLM on a 50-token prompt and on a 2 KB one (cut at 128 word
 * pieces), with the model's runs on one or two ONNX Runtime threads; a cache hit through the
 * {@link EmbeddingService} (a short text looked up on the calling thread; a 2 KB one hashed and
 * answered by a worker); a miss through the service (its queue and hand-off around a run).
 * Sample mode, so JMH prints p50/p99. Run: {@code java -cp
 * "aigis-bench/target/aigis-bench.jar:aigis-bench/target/lib/*" org.openjdk.jmh.Main Embedding}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EmbeddingBenchmark {

  /** 50 word pieces with [CLS] and [SEP] (checked in setup). */
  static final String TEXT_50_TOKENS = "Our customer in Lyon says the March invoice charged her twice for the premium "
      + "support plan. Could you please check the billing history on her account and draft a short, polite "
      + "reply explaining the refund before the end of this working week?";

  static final String TEXT_2K = text2k();

  /** The model, on {@code threads} ONNX Runtime threads per run ({@code 1} is {@link MiniLmEmbedder#shared()}). */
  @State(Scope.Benchmark)
  public static class Model {
    @Param({"1", "2"})
    int threads;

    MiniLmEmbedder embedder;

    @Setup(Level.Trial)
    public void setUp() {
      embedder = threads == 1 ? MiniLmEmbedder.shared() : new MiniLmEmbedder(MiniLmEmbedder.DEFAULT_MAX_TOKENS, threads);
      int tokens = embedder.tokens(TEXT_50_TOKENS);
      if (tokens != 50) {
        throw new IllegalStateException("the short text has " + tokens + " word pieces, not 50");
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      if (embedder != MiniLmEmbedder.shared()) {
        embedder.close();
      }
    }
  }

  /** A service on the shared model whose cache already holds both texts. */
  @State(Scope.Benchmark)
  public static class Cached {
    EmbeddingService service;

    @Setup(Level.Trial)
    public void setUp() {
      service = EmbeddingService.start(MiniLmEmbedder.shared(), EmbeddingSettings.defaults(), EmbeddingObserver.NONE);
      service.embed(TEXT_50_TOKENS).toCompletableFuture().join();
      service.embed(TEXT_2K).toCompletableFuture().join();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      service.close();
    }
  }

  /** A service on the shared model with its cache off: every request is queued and run. */
  @State(Scope.Benchmark)
  public static class Uncached {
    EmbeddingService service;

    @Setup(Level.Trial)
    public void setUp() {
      service = EmbeddingService.start(MiniLmEmbedder.shared(), EmbeddingSettings.defaults().withCacheEntries(0),
          EmbeddingObserver.NONE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      service.close();
    }
  }

  @Benchmark
  public float[] embed50Tokens(Model model) {
    return model.embedder.embed(TEXT_50_TOKENS);
  }

  @Benchmark
  public float[] embed2k(Model model) {
    return model.embedder.embed(TEXT_2K);
  }

  @Benchmark
  public float[] cacheHit50Tokens(Cached cached) {
    return cached.service.embed(TEXT_50_TOKENS).toCompletableFuture().join();
  }

  @Benchmark
  public float[] cacheHit2k(Cached cached) {
    return cached.service.embed(TEXT_2K).toCompletableFuture().join();
  }

  /** The model run plus the hand-off to a worker and back, for the 50-token text. */
  @Benchmark
  public float[] serviceMiss50Tokens(Uncached uncached) {
    return uncached.service.embed(TEXT_50_TOKENS).toCompletableFuture().join();
  }

  private static String text2k() {
    String paragraph = "The gateway forwards each chat request to the configured backend after the guards have "
        + "looked at the prompt. When a request is refused, the client gets an error in its own API format "
        + "and the audit log records which guard refused it and why, without the prompt itself. ";
    var sb = new StringBuilder();
    while (sb.length() < 2048) {
      sb.append(paragraph);
    }
    return sb.substring(0, 2048);
  }
}
