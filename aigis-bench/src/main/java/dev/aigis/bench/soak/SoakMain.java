package dev.aigis.bench.soak;

import dev.aigis.bench.Children;
import dev.aigis.bench.GeneratedSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.HdrHistogram.Recorder;

/**
 * {@code ./aigis bench soak}: mixed plain and streamed traffic of both client APIs, with injected
 * faults, through the real gateway for a configurable time, sampling the gateway's resources; then
 * the verdict (zero unexplained answers, flat resources, the gateway's own counts agreeing) in its
 * section of {@code docs/benchmarks.md}. The steps are the named methods below; what each class
 * does is in its own comment. Exit status 0 when the run passed, 1 when it failed or was too short
 * to judge (the report is written either way), 2 for a bad command line.
 */
public final class SoakMain {

  /** Time the gateway gets to finish and record answers after the last one arrived. */
  private static final long SETTLE_MILLIS = 2_000;

  private SoakMain() {}

  public static void main(String[] argv) {
    if (List.of(argv).contains("-h") || List.of(argv).contains("--help")) {
      System.out.println(SoakOptions.usage());
      System.exit(0);
    }
    SoakOptions options;
    try {
      options = SoakOptions.parse(argv);
    } catch (RuntimeException e) {
      System.err.println("aigis bench soak: " + e.getMessage());
      System.exit(2);
      return;
    }
    long boundMillis = options.duration().toMillis() + 600_000;
    Thread watchdog = Thread.ofPlatform().daemon().name("soak-watchdog").start(() -> {
      try {
        Thread.sleep(boundMillis);
        System.err.println("aigis bench soak: still running after " + boundMillis / 1000 + " s; giving up");
        System.exit(3);
      } catch (InterruptedException ignored) {
        // finished in time
      }
    });
    int status;
    try {
      status = run(options);
    } catch (Exception e) {
      System.err.println("aigis bench soak: " + e);
      e.printStackTrace();
      status = 1;
    }
    watchdog.interrupt();
    System.exit(status);
  }

  static int run(SoakOptions o) throws Exception {
    Path work = Files.createTempDirectory("aigis-bench-soak-");
    System.err.println("aigis bench soak: logs and generated config in " + work);
    SoakResult result;
    try (var children = new Children(work)) {
      SoakStack stack = SoakStack.start(o, children, work);
      System.err.printf("aigis bench soak: gateway pid %d on 127.0.0.1:%d (admin :%d), upstream :%d%n",
          stack.gateway().pid(), stack.gatewayPort(), stack.adminPort(), stack.upstreamPort());
      result = soak(o, stack, children, work);
    }
    String section = SoakReport.section(result);
    Files.createDirectories(o.output().toAbsolutePath().getParent());
    String existing = Files.exists(o.output()) ? Files.readString(o.output()) : "";
    Files.writeString(o.output(), GeneratedSection.SOAK.replaceIn(existing, section));
    System.out.println(section);
    System.err.println("aigis bench soak: wrote " + o.output() + "; " + SoakReport.verdict(result));
    return result.verdict() == SoakResult.Verdict.PASSED ? 0 : 1;
  }

  /** Baselines, then traffic while sampling, then the after-traffic counts. */
  private static SoakResult soak(SoakOptions o, SoakStack stack, Children children, Path work) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    var probe = new GatewayProbe(stack.gateway().pid(), stack.upstreamPort(), stack.gatewayPort(),
        Path.of(java).resolveSibling("jcmd"), work);
    probe.attachOnce();
    Thread.sleep(SETTLE_MILLIS); // the readiness request's access-log line is written asynchronously
    Map<Integer, Long> metricsBefore = PrometheusCounters.requestsByStatus(stack.scrapeMetrics());
    long logLinesBefore = lineCount(stack.gatewayLog());

    var tallies = new SoakDriver.Tallies(new OutcomeTally(), new OutcomeTally());
    var plan = new SoakDriver.Plan(stack.gatewayPort(), o.connections(), o.rate(), o.duration(), o.warmup(),
        new RequestMix(o.seed()));
    var plainLatency = new Recorder(3);
    var requests = new SoakRequests(stack.gatewayPort());
    var stop = new AtomicBoolean();
    System.err.printf(Locale.ROOT,
        "aigis bench soak: %s of traffic at %s req/s over %d connections, sampling every %s%n",
        SoakReport.human(o.duration()), o.rate(), o.connections(), SoakReport.human(o.sampleEvery()));
    long start = System.nanoTime();
    CompletableFuture<SoakDriver.Summary> traffic = CompletableFuture.supplyAsync(() -> {
      try {
        return SoakDriver.run(plan, stop::get, requests, tallies, plainLatency);
      } catch (Exception e) {
        throw new IllegalStateException("the driver failed: " + e, e);
      }
    }, runnable -> Thread.ofPlatform().name("soak-driver").start(runnable));
    var taker = new SampleTaker(probe, tallies, plainLatency, start);
    List<Sample> samples = new ArrayList<>();
    String gatewayExit = sampleUntilDone(o, stack, children, taker, traffic, samples);
    stop.set(gatewayExit != null);
    SoakDriver.Summary summary = awaitTraffic(traffic);
    double trafficSeconds = (System.nanoTime() - start) / 1e9;

    Thread.sleep(SETTLE_MILLIS);
    Map<Integer, Long> metrics = Map.of();
    GatewayLog log;
    if (gatewayExit == null) {
      metrics = PrometheusCounters.delta(metricsBefore, PrometheusCounters.requestsByStatus(stack.scrapeMetrics()));
      samples.add(taker.take(false));
    }
    try (Stream<String> lines = Files.lines(stack.gatewayLog())) {
      log = GatewayLog.summarize(lines.skip(logLinesBefore)::iterator);
    }
    GcPauses gc = GcPauses.parse(Files.exists(stack.gcLog()) ? Files.readAllLines(stack.gcLog()) : List.of());
    List<OutcomeTally.Count> counts = tallies.measured().counts();
    List<OutcomeTally.Count> warmupCounts = tallies.warmup().counts();
    List<OutcomeTally.Count> all = new ArrayList<>(counts);
    all.addAll(warmupCounts);
    return new SoakResult(o, trafficSeconds, summary, counts, warmupCounts, samples,
        CrossCheck.of(all, metrics, log.accessByStatus()), log, gc, gatewayExit);
  }

  /**
   * One sample at the start, then one every {@code --sample-every} until the traffic ends; the end
   * of the gateway's log when it exited meanwhile, else null.
   */
  private static String sampleUntilDone(SoakOptions o, SoakStack stack, Children children, SampleTaker taker,
      CompletableFuture<SoakDriver.Summary> traffic, List<Sample> samples) throws Exception {
    long start = System.nanoTime();
    long every = o.sampleEvery().toNanos();
    for (int i = 0; ; i++) {
      Sample s;
      try {
        s = stack.gateway().isAlive() ? taker.take(true) : null;
      } catch (IOException e) {
        if (stack.gateway().isAlive()) {
          throw e;
        }
        s = null; // it exited while being sampled
      }
      if (s == null) {
        System.err.println("aigis bench soak: the gateway exited; stopping the traffic");
        return children.tail("gateway", 40);
      }
      samples.add(s);
      ResourceUsage u = s.usage();
      System.err.printf(Locale.ROOT, "aigis bench soak: %s  rss %s  heap %s  threads %d  fds %d  upstream %d  "
              + "close_wait %d  requests %,d  unexplained %,d%n", SoakReport.clock(s.seconds()),
          ResourceMetric.RSS.format(u.rssBytes(), false), ResourceMetric.HEAP.format(u.heapUsedBytes(), false),
          u.threads(), u.descriptors(), u.connections().upstream(), u.connections().closeWait(), s.requests(),
          s.unexplained());
      long wait = start + (i + 1) * every - System.nanoTime();
      try {
        traffic.get(Math.max(1, wait), TimeUnit.NANOSECONDS);
        return null;
      } catch (TimeoutException e) {
        // next sample
      }
    }
  }

  private static SoakDriver.Summary awaitTraffic(CompletableFuture<SoakDriver.Summary> traffic) throws Exception {
    try {
      return traffic.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static long lineCount(Path file) throws IOException {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    }
  }
}
