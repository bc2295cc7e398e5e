package dev.aigis.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * A real HTTP server that answers like the OpenAI API and can be scripted, for end-to-end tests
 * and benchmarks (after Envoy AI Gateway's {@code testupstreamlib}).
 *
 * <p>Endpoints: {@code POST /v1/chat/completions}, {@code POST /v1/completions} (both also
 * streamed with {@code "stream": true}, with a usage chunk only when {@code
 * stream_options.include_usage} is true), {@code POST /v1/embeddings}, {@code GET /v1/models}.
 * With {@link FakeOptions#pathPrefix()} set, the same endpoints are also served under it. Any
 * other request gets 200 {@code {"method":…,"path":…}}. Bodies that are not JSON, and
 * requests OpenAI would refuse (no {@code model}, no {@code messages}/{@code prompt}/{@code
 * input}), get a 400 OpenAI error object, as do malformed tool use: a {@code tool} message that
 * does not answer a {@code tool_calls} id of the assistant message before it, a {@code tools}
 * entry that is not a named {@code function}, an unknown {@code tool_choice}, or an {@code
 * image_url} part whose url is neither {@code data:} nor {@code http(s)}. HTTP/1.1 and h2c (or h2 over TLS) with unlimited
 * keep-alive.
 *
 * <p>Scripting: each request takes the behaviour at the head of the {@link #enqueue} queue, or
 * the {@link #setDefault default} when it is empty. A request carrying the header {@code
 * x-fake-behavior} uses that instead and leaves the queue alone; its value is a compact JSON
 * object over {@link Behavior#ok()}, with these keys:
 *
 * <ul>
 *   <li>{@code status} (int) and {@code body} (string or JSON): answer that status/body; a status
 *       alone gets a fitting OpenAI error object, e.g. {@code {"status":429}}
 *   <li>{@code headers} (object of strings): extra response headers, e.g. {@code retry-after}
 *   <li>{@code delayMs}: wait before the response headers
 *   <li>{@code ttftMs}, {@code tps} (number), {@code tokens}, {@code reply}: stream pacing and
 *       content, as {@link Behavior#withTimeToFirstToken}, {@link Behavior#withTokensPerSecond},
 *       {@link Behavior#withTokens}, {@link Behavior#withReply}
 *   <li>{@code promptTokens}, {@code completionTokens}: reported usage
 *   <li>{@code malformed: true}, {@code truncateAfter: n}: stream faults
 *   <li>{@code hang: true}: never answer; {@code close: true}: close the connection unanswered
 *   <li>{@code toolCalls} (array of {@code {"id","name","arguments"}}, arguments a JSON string or
 *       JSON): answer chat completions with these tool calls, as {@link Behavior#withToolCalls}
 * </ul>
 *
 * An unknown key or bad value gets a 400 naming it. Non-streamed completions wait the time the
 * stream would have taken ({@code ttft + (tokens - 1) / tps}).
 *
 * <p>Time: delays and pacing use {@link FakeOptions#scheduler()}, real time by default; a test
 * of pacing passes a {@link ManualScheduler} and moves time itself.
 *
 * <p>Cost: behaviours are compiled to byte fragments when scripted (header values are cached), so
 * the default path parses the request with a streaming parser, concatenates arrays, and logs
 * nothing. Turn {@link FakeOptions#recordRequests()} off in benchmarks.
 *
 * <p>Thread-safe: scripting and inspection may be called from any thread while serving.
 */
public final class FakeOpenAiUpstream implements AutoCloseable {

  private static final int HEADER_CACHE_LIMIT = 256;
  private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final FakeOptions options;
  private final Requests requests;
  private final Script ok = Script.compile(Behavior.ok());
  private volatile Script defaultScript = ok;
  private final ConcurrentLinkedQueue<Script> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentHashMap<String, Script> headerScripts = new ConcurrentHashMap<>();
  private final AtomicInteger openConnections = new AtomicInteger();
  private final LongAdder cancelledStreams = new LongAdder();
  private final LongAdder eventsStreamed = new LongAdder();
  /** Notified when a connection opens or closes or a stream is cancelled (not per event). */
  private final Object changes = new Object();
  private int port;

  private FakeOpenAiUpstream(Vertx vertx, FakeOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.requests = new Requests(options.recordRequests());
  }

  public static FakeOpenAiUpstream start() {
    return start(FakeOptions.defaults());
  }

  /**
   * Binds one server per event loop on the same port (Vert.x balances connections across them).
   * Blocks until listening.
   */
  public static FakeOpenAiUpstream start(FakeOptions options) {
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(options.eventLoopThreads())
        .setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    try {
      var upstream = new FakeOpenAiUpstream(vertx, options);
      var handler = new RequestHandler(upstream, options.scheduler());
      // Vert.x shares a bound port among servers listening on the same positive port, or on the
      // same negative one (meaning: one random port for all); port 0 would bind N random ports.
      int listenPort = options.port() == 0 ? -1 : options.port();
      for (int i = 0; i < options.eventLoopThreads(); i++) {
        upstream.port = await(server(vertx, options, handler).listen(listenPort, options.host()))
            .actualPort();
      }
      return upstream;
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  private static HttpServer server(Vertx vertx, FakeOptions options, RequestHandler handler) {
    var serverOptions = new HttpServerOptions()
        .setHost(options.host())
        .setIdleTimeout(0)
        .setHttp2ClearTextEnabled(true)
        // Benchmarks multiplex many streams on one h2 connection; don't make them queue.
        .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(10_000));
    if (options.tls()) {
      serverOptions.setSsl(true).setUseAlpn(true).setKeyCertOptions(new PemKeyCertOptions()
          .addCertValue(Buffer.buffer(options.tlsCertificatePem()))
          .addKeyValue(Buffer.buffer(options.tlsPrivateKeyPem())));
    }
    return vertx.createHttpServer(serverOptions)
        .connectionHandler(handler::onConnection)
        .requestHandler(handler);
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT} (https with TLS), without a trailing slash. */
  public String baseUrl() {
    String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    return (options.tls() ? "https://" : "http://") + host + ":" + port;
  }

  /** The next request without an {@code x-fake-behavior} header gets {@code behavior}. */
  public void enqueue(Behavior behavior) {
    queue.add(Script.compile(behavior));
  }

  /** What requests get when the queue is empty; {@link Behavior#ok()} at first. */
  public void setDefault(Behavior behavior) {
    defaultScript = Script.compile(behavior);
  }

  /** Requests so far, oldest first; throws if recording is off. */
  public List<RecordedRequest> requests() {
    return requests.all();
  }

  /** The latest request, or {@code null}. */
  public RecordedRequest lastRequest() {
    return requests.last();
  }

  /**
   * Takes the oldest request not yet taken by this method, waiting up to {@code timeout} for one
   * to arrive; {@code null} when none did. Independent of {@link #requests()}.
   */
  public RecordedRequest awaitRequest(Duration timeout) {
    return requests.await(timeout);
  }

  /** Forgets requests, queued behaviours and the cancelled count; the default becomes ok. */
  public void reset() {
    queue.clear();
    defaultScript = ok;
    requests.clear();
    cancelledStreams.reset();
    eventsStreamed.reset();
  }

  public int openConnections() {
    return openConnections.get();
  }

  /**
   * Waits until {@link #openConnections()} is {@code count}; false when it was not within {@code
   * within} (a bound for a broken test: the wait ends as soon as the count is reached).
   */
  public boolean awaitOpenConnections(int count, Duration within) throws InterruptedException {
    return awaitChange(() -> openConnections.get() == count, within);
  }

  /** Streams the client abandoned (closed or reset) before the server finished writing them. */
  public long cancelledStreams() {
    return cancelledStreams.sum();
  }

  /**
   * Waits until {@link #cancelledStreams()} is at least {@code count}; false when it was not
   * within {@code within}.
   */
  public boolean awaitCancelledStreams(long count, Duration within) throws InterruptedException {
    return awaitChange(() -> cancelledStreams.sum() >= count, within);
  }

  /**
   * SSE events written so far across all streams. Writes wait for the client's write queue to
   * drain, so a stalled count while a stream is unfinished shows the client is pushing back.
   */
  public long eventsStreamed() {
    return eventsStreamed.sum();
  }

  /** Stops the server, closing open connections (hanging requests included). */
  @Override
  public void close() {
    await(vertx.close());
  }

  // ---- package-private hooks for RequestHandler ----

  /** The endpoint a request path names: the path without {@link FakeOptions#pathPrefix()}, if it has it. */
  String endpointPath(String path) {
    String prefix = options.pathPrefix();
    return !prefix.isEmpty() && path.startsWith(prefix + "/") ? path.substring(prefix.length()) : path;
  }

  void connectionOpened() {
    openConnections.incrementAndGet();
    signalChange();
  }

  void connectionClosed() {
    openConnections.decrementAndGet();
    signalChange();
  }

  void streamCancelled() {
    cancelledStreams.increment();
    signalChange();
  }

  LongAdder eventsCounter() {
    return eventsStreamed;
  }

  Requests recorder() {
    return requests;
  }

  /**
   * The behaviour for a request: its header's, else the queue's head, else the default. An
   * invalid header becomes a scripted 400 that says what is wrong.
   */
  Script scriptFor(String header) {
    if (header == null) {
      Script queued = queue.poll();
      return queued != null ? queued : defaultScript;
    }
    Script cached = headerScripts.get(header);
    if (cached == null) {
      Behavior behavior;
      try {
        behavior = BehaviorHeader.parse(header);
      } catch (IllegalArgumentException e) {
        behavior = Behavior.ok().withStatus(400, OpenAiJson.error(
            e.getMessage(), "invalid_request_error", null, "invalid_fake_behavior").toString());
      }
      cached = Script.compile(behavior);
      if (headerScripts.size() < HEADER_CACHE_LIMIT) {
        headerScripts.put(header, cached);
      }
    }
    return cached;
  }

  private void signalChange() {
    synchronized (changes) {
      changes.notifyAll();
    }
  }

  private boolean awaitChange(BooleanSupplier condition, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    synchronized (changes) {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(changes, left);
      }
      return true;
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture()
          .get(LIFECYCLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("fake upstream: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("fake upstream: timed out after " + LIFECYCLE_TIMEOUT, e);
    }
  }

  /** Recorded requests; a no-op when recording is off. */
  static final class Requests {
    private final boolean enabled;
    private final ConcurrentLinkedQueue<RecordedRequest> all = new ConcurrentLinkedQueue<>();
    private final LinkedBlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private volatile RecordedRequest last;

    Requests(boolean enabled) {
      this.enabled = enabled;
    }

    boolean enabled() {
      return enabled;
    }

    void add(RecordedRequest r) {
      all.add(r);
      untaken.add(r);
      last = r;
    }

    List<RecordedRequest> all() {
      requireEnabled();
      return List.copyOf(new ArrayList<>(all));
    }

    RecordedRequest last() {
      requireEnabled();
      return last;
    }

    RecordedRequest await(Duration timeout) {
      requireEnabled();
      try {
        return untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }

    void clear() {
      all.clear();
      untaken.clear();
      last = null;
    }

    private void requireEnabled() {
      if (!enabled) {
        throw new IllegalStateException("request recording is off (FakeOptions.recordRequests)");
      }
    }
  }
}
