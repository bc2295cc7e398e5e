package dev.aigis.bench;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.exchange.ExchangeSummary;
import dev.aigis.core.identity.ApiKeys;
import dev.aigis.core.identity.Authenticator;
import dev.aigis.core.identity.JwksSources;
import dev.aigis.core.policy.AccessControl;
import dev.aigis.core.policy.AccessRules;
import dev.aigis.core.policy.PolicyObserver;
import dev.aigis.core.policy.PricedEstimates;
import dev.aigis.core.policy.RateLimiter;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ConfiguredProcessor;
import dev.aigis.core.processing.FailureMode;
import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.ProcessingObserver;
import dev.aigis.core.processing.Scheduler;
import dev.aigis.core.processing.cel.PolicyExpressions;
import dev.aigis.core.ratelimit.BucketState;
import dev.aigis.core.ratelimit.MemoryRateLimitStore;
import dev.aigis.core.ratelimit.Prices;
import dev.aigis.core.ratelimit.RateLimitStore;
import dev.aigis.core.usage.TokenUsage;
import dev.aigis.model.policy.AccessRule;
import dev.aigis.model.policy.ApiKey;
import dev.aigis.model.policy.Authentication;
import dev.aigis.model.policy.RateLimitRule;
import dev.aigis.model.policy.RateLimitStoreSpec;
import dev.aigis.server.ratelimit.RedisRateLimitStore;
import io.vertx.core.Vertx;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-request admission overhead of the policy processors on the ~600-byte chat request of
 * {@link Workload#chat()}: an {@link AccessControl} (one Aigis API key, one access rule) and, unless
 * {@code store=none}, a {@link RateLimiter} with one TOKENS rule keyed by {@code identity.key} and a
 * limit it never reaches, its estimate from {@link PricedEstimates} (real tokenizer, shipped prices).
 * Each op builds a fresh {@link ExchangeContext} and {@link ProcessedRequest} and runs the request
 * stage of a {@link ProcessingChain} to completion on a direct executor, as the data plane does.
 *
 * <ul>
 *   <li>{@code store}: {@code none} (AccessControl only), {@code memory} ({@link MemoryRateLimitStore}),
 *       {@code redis} ({@link RedisRateLimitStore} on {@code redis://127.0.0.1:6379}, a fresh key
 *       prefix per trial, 5 s timeout). Redis answers on a Vert.x event loop; the op blocks on the
 *       chain's outcome, so its time includes the hop to the event loop and back.
 *   <li>{@link #admit}: admission only. {@link #admitAndComplete}: then completes the exchange with
 *       reported usage (96 + 34 tokens) so the limiter's completion hook reconciles the charge; with
 *       Redis that adjust is fire-and-forget (the op does not wait for it).
 *   <li>{@link #admitThroughput}: {@link #admit} from 4 threads sharing the chain and store (one
 *       bucket: one key), in ops/s; Redis round trips overlap there.
 * </ul>
 *
 * Warm-up is 10 &times; 1 s, longer than the other benchmarks': on 2 busy cores the JIT had not
 * settled the tokenizer and the Vert.x/Netty path after 3 s (iterations still falling at 6 s).
 *
 * <p>Run: {@code java -cp "aigis-bench/target/aigis-bench.jar:aigis-bench/target/lib/*"
 * org.openjdk.jmh.Main AdmissionBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
public class AdmissionBenchmark {

  private static final Executor DIRECT = Runnable::run;
  /** No processor here has a timeout, so the chain never arms a timer (Redis calls time themselves). */
  private static final Scheduler NO_TIMERS = (delay, task) -> () -> { };
  private static final ApiEndpoint CHAT = ApiEndpoint.of(Workload.PATH);
  private static final String POLICY = "bench/limits";
  /** Never reached (exact in Redis's Lua doubles, below 2^53). */
  private static final long LIMIT = 1_000_000_000_000_000L;
  private static final TokenUsage REPORTED = TokenUsage.of(96, 34);

  @Param({"none", "memory", "redis"})
  public String store;

  private ProcessingChain chain;
  private byte[] body;
  private String apiKey;
  private JwksSources jwks;
  private RateLimitStore rateLimitStore;
  private Vertx vertx;

  @Setup
  public void setUp() {
    InstantSource clock = InstantSource.system();
    body = Workload.chat();
    apiKey = ApiKeys.generate(new SecureRandom());
    var key = new ApiKey("bench-key", "support", ApiKeys.sha256(apiKey), List.of(), Map.of(), null, "bench/bench-key");
    var authentication = new Authentication(true, List.of());
    jwks = new JwksSources(clock);
    Authenticator authenticator = Authenticator.of(authentication, List.of(key), jwks, clock);
    List<String> problems = new ArrayList<>();
    AccessRules rules = AccessRules.compile(List.of(new AccessRule("support-mini",
        new AccessRule.From(List.of("support"), List.of(), Map.of(), null),
        List.of(new AccessRule.ModelMatch(AccessRule.ModelMatch.Type.Prefix, "gpt-4o")), AccessRule.Action.Allow)),
        problems);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(problems.toString());
    }
    List<ConfiguredProcessor> processors = new ArrayList<>();
    processors.add(new ConfiguredProcessor("access/bench/access", FailureMode.FailClosed, null,
        new AccessControl("bench/access", authentication, authenticator, rules, PolicyObserver.NONE)));

    rateLimitStore = switch (store) {
      case "none" -> null;
      case "memory" -> new MemoryRateLimitStore(clock);
      case "redis" -> {
        vertx = Vertx.vertx();
        // 5 s, not the 100 ms default: a timeout fails the op (and the run); the timeout costs a timer whatever its length.
        var spec = new RateLimitStoreSpec(URI.create("redis://127.0.0.1:6379"), null, Duration.ofSeconds(5));
        yield new RedisRateLimitStore(vertx, spec, null, "aigis:bench:" + UUID.randomUUID(), clock);
      }
      default -> throw new IllegalArgumentException("store " + store);
    };
    if (rateLimitStore != null) {
      // As PolicyCompiler.limiter builds it, from a RateLimitRule of 10^15 tokens a minute keyed by identity.key.
      var rule = new RateLimitRule("tokens-per-key", "identity.key",
          new RateLimitRule.Limit(RateLimitRule.Unit.TOKENS, java.math.BigDecimal.valueOf(LIMIT),
              RateLimitRule.TimeUnit.Minute, 1), null, null, false);
      var compiledKey = PolicyExpressions.standard().compile(rule.key(), PolicyExpressions.Result.STRING);
      if (compiledKey.error() != null) {
        throw new IllegalStateException(compiledKey.error());
      }
      var compiled = new RateLimiter.Rule(rule.name(), RateLimiter.Unit.valueOf(rule.limit().volumeUnits().name()),
          rule.limit().volume().longValueExact(), rule.limit().timeUnit(), rule.limit().timeValue(),
          compiledKey.expression(), null, null, rule.shadowMode());
      var limiter = new RateLimiter(POLICY, List.of(compiled), rateLimitStore, false,
          new PricedEstimates(Prices.shipped(), null), clock, PolicyObserver.NONE);
      processors.add(new ConfiguredProcessor("ratelimit/" + POLICY, FailureMode.FailClosed, null, limiter));
    }
    chain = new ProcessingChain("bench/policies", processors);
    check();
  }

  @TearDown
  public void tearDown() {
    if (rateLimitStore != null) {
      rateLimitStore.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
    jwks.close();
  }

  /** One admission; the request (its key header removed by AccessControl) is returned to defeat DCE. */
  @Benchmark
  public Object admit() {
    return admitOne();
  }

  /** One admission, then the exchange's end with reported usage: the limiter's reconciliation. */
  @Benchmark
  public Object admitAndComplete() {
    ProcessedRequest request = admitOne();
    request.context().complete(summary(request));
    return request;
  }

  /** {@link #admit} from 4 threads at once, sharing the chain, the store and the bucket. */
  @Benchmark
  @Threads(4)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public Object admitThroughput() {
    return admitOne();
  }

  private ProcessedRequest admitOne() {
    var context = new ExchangeContext("bench-1", CHAT, null);
    var headers = HeaderList.of("content-type", "application/json", "authorization", "Bearer " + apiKey,
        "x-request-id", "bench-1", "user-agent", "OpenAI/Python 1.54.0");
    var request = new ProcessedRequest(context, "POST", Workload.PATH, headers, body, Workload.MODEL);
    ChainOutcome outcome = chain.start(DIRECT, NO_TIMERS, ProcessingObserver.NONE).request(request)
        .toCompletableFuture().join();
    if (!(outcome instanceof ChainOutcome.Proceed)) {
      throw new IllegalStateException("chain did not proceed: " + outcome);
    }
    return request;
  }

  private static ExchangeSummary summary(ProcessedRequest request) {
    return new ExchangeSummary(request.context().requestId(), 200, REPORTED, Workload.MODEL, null, null, null,
        Duration.ofMillis(5), null, Map.of());
  }

  /**
   * Before measuring: the key is verified and removed, the limiter charges the estimate to the key's
   * bucket, and completing the exchange corrects it to the reported usage.
   */
  private void check() {
    if (rateLimitStore != null) {
      used(); // for Redis, the first call connects and loads the client: a SCAN, before anything is charged
    }
    ProcessedRequest request = admitOne();
    if (request.headers().get("authorization") != null) {
      throw new IllegalStateException("the API key was not consumed");
    }
    if (rateLimitStore == null) {
      return;
    }
    long charged = used();
    if (charged <= REPORTED.total()) {
      throw new IllegalStateException("expected an estimate above the reported usage, bucket holds " + charged);
    }
    System.out.println("store=" + store + ": admission charged an estimate of " + charged + " tokens; reconciled to "
        + REPORTED.total());
    request.context().complete(summary(request));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (used() != REPORTED.total()) { // Redis: the adjust is asynchronous
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("reconciliation left " + used() + " in the bucket, expected " + REPORTED.total());
      }
      Thread.onSpinWait();
    }
  }

  private long used() {
    List<BucketState> buckets = rateLimitStore.snapshot().toCompletableFuture().join();
    String bucket = POLICY + "/tokens-per-key/bench-key";
    return buckets.stream().filter(b -> b.bucket().equals(bucket)).mapToLong(BucketState::used).sum();
  }
}
