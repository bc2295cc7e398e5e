package dev.aigis.bench.soak;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.PoolOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Recorder;

/**
 * Open-loop soak traffic: requests start at a steady rate whatever the answers do (after a linear
 * ramp over the warm-up, so three cold JVMs on a small machine are not hit at full rate), over a
 * pool of at most {@code connections} keep-alive connections (HTTP/1.1, no pipelining), all on one
 * event loop. Each answer is read to its end and classified into the {@link OutcomeTally}. When
 * more than {@link #IN_FLIGHT_PER_CONNECTION} requests per connection are already waiting, the
 * due ones are skipped and counted rather than queued without bound: a stalled gateway shows as
 * skips, not as a driver running out of memory. The bound lets a pause of a couple of seconds at
 * the default rate pass without skips: the sampler's own forced full GC can take most of a second
 * on a busy 2-core machine.
 *
 * <p>Requests sent during the warm-up are counted apart ({@link Tallies#warmup}): a JVM that is
 * still compiling, on a machine shared with builds, can miss a 1 s timeout it meets later, and
 * the report shows those answers without judging them.
 */
final class SoakDriver {

  static final int IN_FLIGHT_PER_CONNECTION = 16;
  /** Longest wait for answers still in flight when the time is up. */
  static final Duration DRAIN = Duration.ofSeconds(40);
  /** Stream bytes kept per answer for classification; streams here are a few KB. */
  private static final int MAX_STREAM_BYTES = 1 << 20;
  private static final long TICK_MS = 5;

  /** What to send: to which port, how many connections, how fast, how long, which mix. */
  record Plan(int port, int connections, double rate, Duration duration, Duration warmup, RequestMix mix) {

    /** Requests due {@code seconds} into the run: the rate ramps from 0 over the warm-up, then holds. */
    long dueBy(double seconds) {
      double ramp = warmup.toNanos() / 1e9;
      return (long) (seconds < ramp ? rate * seconds * seconds / (2 * ramp) : rate * (seconds - ramp / 2));
    }
  }

  /** Where answers are counted: by the phase their request was sent in. */
  record Tallies(OutcomeTally warmup, OutcomeTally measured) {
    long total() {
      return warmup.total() + measured.total();
    }

    long unexplained() {
      return warmup.unexplained() + measured.unexplained();
    }
  }

  /**
   * What the driver did: requests started, due requests skipped during warm-up and after it, answers
   * still missing at the end.
   */
  record Summary(long sent, long skippedInWarmup, long skipped, long unfinished) {}

  private SoakDriver() {}

  /** Blocks for about the plan's duration, or until {@code stop} says so. */
  static Summary run(Plan plan, BooleanSupplier stop, SoakRequests requests, Tallies tallies, Recorder plainLatency)
      throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setPreferNativeTransport(true));
    try {
      HttpClient client = vertx.createHttpClient(
          new HttpClientOptions().setKeepAlive(true).setPipelining(false).setTcpNoDelay(true)
              .setConnectTimeout(5_000).setMaxRedirects(0),
          new PoolOptions().setHttp1MaxSize(plan.connections()).setMaxWaitQueueSize(-1));
      var run = new Run(vertx, client, plan, stop, requests, tallies, plainLatency);
      CompletableFuture<Summary> done = new CompletableFuture<>();
      vertx.runOnContext(v -> run.start(done));
      Summary summary = done.get(plan.duration().plus(DRAIN).toMillis() + 30_000, TimeUnit.MILLISECONDS);
      client.close().await();
      return summary;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Of {@code due} requests, how many to send with {@code inFlight} already out; the rest are skipped. */
  static long admitted(long due, int inFlight, int maxInFlight) {
    return Math.max(0, Math.min(due, maxInFlight - inFlight));
  }

  /** State of one run; touched only on the driver's event loop. */
  private static final class Run {
    private final Vertx vertx;
    private final HttpClient client;
    private final Plan plan;
    private final long durationNanos;
    private final long warmupNanos;
    private final BooleanSupplier stop;
    private final int maxInFlight;
    private final RequestMix mix;
    private final SoakRequests requests;
    private final Tallies tallies;
    private final Recorder plainLatency;
    private long startNanos;
    private long ticker;
    private long sent;
    private long skippedInWarmup;
    private long skipped;
    private int inFlight;
    private boolean stopping;
    private CompletableFuture<Summary> done;

    Run(Vertx vertx, HttpClient client, Plan plan, BooleanSupplier stop, SoakRequests requests, Tallies tallies,
        Recorder plainLatency) {
      this.vertx = vertx;
      this.client = client;
      this.plan = plan;
      this.durationNanos = plan.duration().toNanos();
      this.warmupNanos = plan.warmup().toNanos();
      this.stop = stop;
      this.maxInFlight = plan.connections() * IN_FLIGHT_PER_CONNECTION;
      this.mix = plan.mix();
      this.requests = requests;
      this.tallies = tallies;
      this.plainLatency = plainLatency;
    }

    void start(CompletableFuture<Summary> done) {
      this.done = done;
      startNanos = System.nanoTime();
      ticker = vertx.setPeriodic(TICK_MS, t -> tick());
    }

    private void tick() {
      long elapsed = System.nanoTime() - startNanos;
      if (elapsed >= durationNanos || stop.getAsBoolean()) {
        vertx.cancelTimer(ticker);
        stopping = true;
        vertx.setTimer(DRAIN.toMillis(), t -> finish());
        if (inFlight == 0) {
          finish();
        }
        return;
      }
      long due = plan.dueBy(elapsed / 1e9);
      long behind = due - sent - skippedInWarmup - skipped;
      long admitted = admitted(behind, inFlight, maxInFlight);
      if (elapsed < warmupNanos) {
        skippedInWarmup += behind - admitted;
      } else {
        skipped += behind - admitted;
      }
      OutcomeTally tally = elapsed < warmupNanos ? tallies.warmup() : tallies.measured();
      for (long i = 0; i < admitted; i++) {
        send(mix.next(), tally);
      }
    }

    private void send(RequestMix.Scenario s, OutcomeTally tally) {
      sent++;
      inFlight++;
      SoakRequests.Prepared request = requests.get(s);
      long start = System.nanoTime();
      client.request(request.options())
          .compose(req -> req.send(request.body()))
          .onComplete(ar -> {
            if (ar.failed()) {
              answered(s, tally, Outcome.noResponse(), ar.cause().toString());
            } else if (s.kind().stream() && ar.result().statusCode() == 200) {
              stream(s, tally, ar.result());
            } else {
              body(s, tally, ar.result(), start);
            }
          });
    }

    private void body(RequestMix.Scenario s, OutcomeTally tally, HttpClientResponse response, long start) {
      response.body().onComplete(b -> {
        var outcome = new Outcome(response.statusCode(), StreamEnding.ofBody(b.succeeded()));
        if (s.fault() == Fault.NONE && s.kind() == TrafficKind.OPENAI_PLAIN && outcome.status() == 200) {
          plainLatency.recordValue((System.nanoTime() - start) / 1_000);
        }
        answered(s, tally, outcome, b.succeeded() ? excerpt(b.result()) : b.cause().toString());
      });
    }

    /** Reads a 200 stream to its end; for {@link Fault#CLIENT_DISCONNECT}, closes the connection at its first chunk. */
    private void stream(RequestMix.Scenario s, OutcomeTally tally, HttpClientResponse response) {
      Buffer seen = Buffer.buffer();
      boolean[] aborted = {false};
      response.handler(chunk -> {
        if (seen.length() < MAX_STREAM_BYTES) {
          seen.appendBuffer(chunk);
        }
        if (s.fault() == Fault.CLIENT_DISCONNECT && !aborted[0]) {
          aborted[0] = true;
          response.request().reset(); // HTTP/1.1: closes the connection
        }
      });
      response.end().onComplete(e -> {
        String text = seen.toString(StandardCharsets.UTF_8);
        Ending ending = aborted[0] ? Ending.CLIENT_ABORT : StreamEnding.ofStream(s.kind().api(), text, e.succeeded());
        answered(s, tally, new Outcome(200, ending), e.failed() ? e.cause() + " after: " + tail(text) : tail(text));
      });
    }

    private void answered(RequestMix.Scenario s, OutcomeTally tally, Outcome outcome, String detail) {
      inFlight--;
      boolean explained = OutcomeClassifier.explained(s.kind(), s.fault(), outcome);
      if (tally.record(s, outcome, explained ? null : detail) && !explained) {
        System.err.printf("aigis bench soak: unexplained: %s, %s: got %s (%s)%n", s.kind().label(),
            s.fault().description(), outcome.label(), detail);
      }
      if (stopping && inFlight == 0) {
        finish();
      }
    }

    private void finish() {
      if (!done.isDone()) {
        done.complete(new Summary(sent, skippedInWarmup, skipped, inFlight));
      }
    }

    private static String excerpt(Buffer body) {
      String s = body.toString(StandardCharsets.UTF_8);
      return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static String tail(String text) {
      String s = text.strip();
      return s.length() > 300 ? "…" + s.substring(s.length() - 300) : s;
    }
  }
}
