package dev.aigis.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop HTTP/1.1 load: {@code connections} keep-alive connections (no pipelining), each
 * sending its next request when the previous response is complete, all on one event loop so the
 * generator takes at most one core. Latency is recorded in microseconds into an HdrHistogram for
 * requests completing in the measurement window; warm-up completions are discarded.
 *
 * <p>Being closed-loop, the latencies are those of a client that waits, not of an open arrival
 * rate: a stall delays the next requests instead of being charged to them (coordinated omission).
 */
final class LoadGenerator {

  /** What to send: non-streaming (latency = full response) or streaming (latency = first data). */
  record Spec(int port, String path, byte[] body, String behavior, boolean stream, String authorization) {
    Spec(int port, String path, byte[] body, String behavior, boolean stream) {
      this(port, path, body, behavior, stream, "Bearer sk-bench-client");
    }
  }

  record Result(int connections, long requests, long errors, double seconds, Histogram latency,
      Histogram total, String firstError) {
    double rate() {
      return requests / seconds;
    }
  }

  private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(120);
  private static final byte[] DATA = "data:".getBytes();

  private LoadGenerator() {}

  /** Runs warm-up then measurement; blocks for about {@code warmup + measure} seconds. */
  static Result run(Spec spec, int connections, double warmupSeconds, double measureSeconds)
      throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setPreferNativeTransport(true));
    try {
      HttpClient client = vertx.createHttpClient(
          new HttpClientOptions().setKeepAlive(true).setPipelining(false).setTcpNoDelay(true)
              .setConnectTimeout(5_000).setIdleTimeout(0).setMaxRedirects(0),
          new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
      var run = new Run(vertx, client, spec, connections);
      CompletableFuture<Result> done = new CompletableFuture<>();
      vertx.runOnContext(v -> run.start(warmupSeconds, measureSeconds, done));
      long bound = (long) ((warmupSeconds + measureSeconds) * 1000) + 60_000;
      Result result = done.get(bound, TimeUnit.MILLISECONDS);
      client.close().await();
      return result;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** State of one run; touched only on the generator's event loop. */
  private static final class Run {
    private final Vertx vertx;
    private final HttpClient client;
    private final Spec spec;
    private final int connections;
    private final Buffer body;
    private final RequestOptions options;
    private final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
    private final Histogram total = new Histogram(HIGHEST_MICROS, 3);
    private boolean measuring;
    private boolean stopping;
    private long windowStart;
    private long windowEnd;
    private long requests;
    private long errors;
    private String firstError;
    private int inFlight;
    private CompletableFuture<Result> done;

    Run(Vertx vertx, HttpClient client, Spec spec, int connections) {
      this.vertx = vertx;
      this.client = client;
      this.spec = spec;
      this.connections = connections;
      this.body = Buffer.buffer(spec.body());
      this.options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
          .setPort(spec.port()).setURI(spec.path())
          .putHeader("content-type", "application/json")
          .putHeader("authorization", spec.authorization());
      if (spec.behavior() != null) {
        options.putHeader("x-fake-behavior", spec.behavior());
      }
    }

    void start(double warmupSeconds, double measureSeconds, CompletableFuture<Result> done) {
      this.done = done;
      vertx.setTimer(Math.max(1, (long) (warmupSeconds * 1000)), t -> {
        measuring = true;
        windowStart = System.nanoTime();
        vertx.setTimer(Math.max(1, (long) (measureSeconds * 1000)), t2 -> {
          stopping = true;
          windowEnd = System.nanoTime();
          // responses still in flight are not counted; stop waiting for them after 10 s
          vertx.setTimer(10_000, t3 -> finish());
          if (inFlight == 0) {
            finish();
          }
        });
      });
      for (int i = 0; i < connections; i++) {
        fire();
      }
    }

    private void fire() {
      if (stopping) {
        return;
      }
      inFlight++;
      long start = System.nanoTime();
      client.request(options)
          .compose(req -> req.send(body))
          .onComplete(ar -> {
            if (ar.failed()) {
              completed(start, -1, -1, ar.cause().toString());
              return;
            }
            var resp = ar.result();
            if (resp.statusCode() != 200) {
              resp.body().onComplete(b -> completed(start, -1, -1,
                  "HTTP " + resp.statusCode() + " " + (b.succeeded() ? abbreviate(b.result()) : "")));
              return;
            }
            if (!spec.stream()) {
              resp.end().onComplete(e -> completed(start, e.succeeded() ? System.nanoTime() : -1, -1,
                  e.failed() ? e.cause().toString() : null));
              return;
            }
            long[] first = {-1};
            resp.handler(chunk -> {
              if (first[0] < 0 && contains(chunk, DATA)) {
                first[0] = System.nanoTime();
              }
            });
            resp.end().onComplete(e -> {
              boolean ok = e.succeeded() && first[0] > 0;
              completed(start, ok ? first[0] : -1, ok ? System.nanoTime() : -1,
                  ok ? null : e.failed() ? e.cause().toString() : "stream without data");
            });
          });
    }

    private void completed(long start, long latencyEnd, long totalEnd, String error) {
      inFlight--;
      long now = System.nanoTime();
      if (measuring && (!stopping || now <= windowEnd)) {
        if (error != null) {
          errors++;
          if (firstError == null) {
            firstError = error;
          }
        } else {
          requests++;
          latency.recordValue(Math.min(HIGHEST_MICROS, (latencyEnd - start) / 1_000));
          if (totalEnd > 0) {
            total.recordValue(Math.min(HIGHEST_MICROS, (totalEnd - start) / 1_000));
          }
        }
      }
      if (error != null && !stopping) {
        // do not spin on a refusing target
        vertx.setTimer(10, t -> fire());
      } else {
        fire();
      }
      if (stopping && inFlight == 0) {
        finish();
      }
    }

    private void finish() {
      if (done.isDone()) {
        return;
      }
      double seconds = (windowEnd - windowStart) / 1e9;
      done.complete(new Result(connections, requests, errors, seconds, latency, total, firstError));
    }

    private static boolean contains(Buffer chunk, byte[] needle) {
      int n = chunk.length() - needle.length;
      outer:
      for (int i = 0; i <= n; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (chunk.getByte(i + j) != needle[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    }

    private static String abbreviate(Buffer b) {
      String s = b.toString();
      return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
  }
}
