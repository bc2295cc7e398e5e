package dev.aigis.server.extproc;

import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.ProcessingObserver;
import dev.aigis.model.Gateway;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.core.exchange.BoundedWorkers;
import dev.aigis.core.processing.Scheduler;
import dev.aigis.server.proxy.RuntimeConfig;
import java.util.function.Supplier;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Aigis as an Envoy ext_proc v3 server: Envoy's {@code ext_proc} HTTP filter streams each HTTP
 * exchange to it, and a Gateway's PreRouting then PostRouting chains process the request (and,
 * backwards, the response) exactly as they would in the Aigis data plane.
 *
 * <p>Envoy configuration: {@code processing_mode} with {@code request_header_mode: SEND} and
 * {@code allow_mode_override: true}, so the server can ask for a BUFFERED request body only for
 * exchanges whose chain needs one (or configure {@code request_body_mode: BUFFERED} outright; a
 * STREAMED body is collected too, but header mutations on it come too late for Envoy to apply).
 * The override it sends names the whole mode: request body BUFFERED, response headers SEND and
 * the response body as the chains need it, trailers SKIP; an {@code allowed_override_modes} list
 * must include it. {@code FULL_DUPLEX_STREAMED} is not supported. Run the filter before the router
 * (not as an upstream filter) so {@code clear_route_cache} can re-route on changed headers.
 *
 * <p>Threading: gRPC callbacks and stage work run on one shared pool, serialised per stream;
 * processor timeouts on one shared timer thread. Created by {@link #builder}, then {@link #start}.
 */
public final class ExtProcServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ExtProcServer.class.getName());

  /**
   * @param maxRequestBodyBytes the most request body bytes collected (413 above it)
   * @param maxResponseBodyBytes the most response body bytes collected for a chain that needs the
   *     whole body (above it the client gets a 502, as from the data plane: a guard is never bypassed)
   * @param maxEventBytes the largest SSE event handed to processors
   */
  public record Limits(long maxRequestBodyBytes, long maxResponseBodyBytes, int maxEventBytes) {
    public static final Limits DEFAULT = new Limits(2 * 1024 * 1024, 8 * 1024 * 1024, 1024 * 1024);
  }

  private final int requestedPort;
  private final Supplier<ExtProcTarget> target;
  private final ProcessingObserver observer;
  private final Scheduler scheduler;
  private final Limits limits;
  private final Duration shutdownGrace;
  private final BoundedWorkers workers = new BoundedWorkers(Math.max(1, Runtime.getRuntime().availableProcessors()), 1024);
  private Server server;
  private ExecutorService pool;
  private ScheduledThreadPoolExecutor timers;

  private ExtProcServer(Builder builder) {
    this.requestedPort = builder.port;
    this.target = builder.target;
    this.scheduler = builder.scheduler;
    this.observer = builder.observer;
    this.limits = builder.limits;
    this.shutdownGrace = builder.shutdownGrace;
  }

  /**
   * A server for the Gateway {@code namespace/name} (see {@link #gatewayKey}) of the configuration
   * {@code config} supplies: each new stream runs on the configuration current when it starts, so a
   * reload (swap what the supplier returns) applies without a restart. Routes are matched as in the
   * data plane, so route filters, ExtensionRefs and route-level PostRouting chains run here too.
   */
  public static Builder builder(Supplier<RuntimeConfig> config, String gatewayKey) {
    Objects.requireNonNull(gatewayKey, "gatewayKey");
    var cache = new java.util.concurrent.atomic.AtomicReference<ExtProcTarget>();
    var source = new java.util.concurrent.atomic.AtomicReference<RuntimeConfig>();
    return new Builder(() -> {
      RuntimeConfig current = config.get();
      ExtProcTarget known = cache.get();
      if (known == null || source.get() != current) {
        known = ExtProcTarget.of(current, gatewayKey);
        cache.set(known);
        source.set(current);
      }
      return known;
    });
  }

  /** A server for the given chains, without routes (route-level stages never run); either may be null. */
  public static Builder builder(ProcessingChain preRouting, ProcessingChain postRouting) {
    ExtProcTarget target = ExtProcTarget.ofChains(preRouting, postRouting);
    return new Builder(() -> target);
  }

  /**
   * The Gateway ({@code namespace/name}) that {@code requested} names: {@code name} or
   * {@code namespace/name}; null means the only Gateway of the snapshot.
   *
   * @throws IllegalArgumentException when there is no such Gateway, or no single default
   */
  public static String gatewayKey(ConfigSnapshot snapshot, String requested) {
    List<String> gateways = snapshot.resources().stream()
        .filter(r -> r instanceof Gateway)
        .map(r -> r.metadata().qualifiedName())
        .distinct()
        .toList();
    if (requested == null || requested.isBlank()) {
      if (gateways.size() == 1) {
        return gateways.getFirst();
      }
      throw new IllegalArgumentException(gateways.isEmpty() ? "the configuration has no Gateway"
          : "the configuration has " + gateways.size() + " Gateways " + gateways + "; name one");
    }
    List<String> matches = gateways.stream()
        .filter(key -> requested.contains("/") ? key.equals(requested) : key.substring(key.indexOf('/') + 1).equals(requested))
        .toList();
    if (matches.size() == 1) {
      return matches.getFirst();
    }
    throw new IllegalArgumentException(matches.isEmpty()
        ? "no Gateway " + requested + " in the configuration " + gateways
        : "Gateway name " + requested + " is ambiguous " + matches + "; use namespace/name");
  }

  /** Binds the port and starts serving. */
  public synchronized ExtProcServer start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("aigis-extproc-"));
    timers = new ScheduledThreadPoolExecutor(1, daemon("aigis-extproc-timer-"));
    timers.setRemoveOnCancelPolicy(true);
    var service = new ExtProcService(target, pool, scheduler != null ? scheduler : new ExecutorScheduler(timers), observer,
        workers, limits);
    try {
      server = Grpc.newServerBuilderForPort(requestedPort, InsecureServerCredentials.create())
          .executor(pool)
          .addService(service)
          .build()
          .start();
    } catch (IOException | RuntimeException e) {
      pool.shutdownNow();
      timers.shutdownNow();
      server = null;
      throw e;
    }
    LOG.log(System.Logger.Level.INFO, "ext_proc server on port {0}", Integer.toString(port()));
    return this;
  }

  /** The bound port (the actual one when built with port 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getPort();
  }

  /**
   * Stops accepting streams, gives those in progress the shutdown grace to finish, then cancels
   * the rest (their exchanges are closed). Idempotent.
   */
  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    try {
      server.shutdown();
      if (!server.awaitTermination(shutdownGrace.toNanos(), TimeUnit.NANOSECONDS)) {
        server.shutdownNow();
        server.awaitTermination(1, TimeUnit.SECONDS);
      }
      // Cancelled streams close their exchanges on the pool: let those tasks run before stopping it.
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      pool.shutdownNow();
      timers.shutdownNow();
      workers.close();
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Settings; every one has a default except the chains. */
  public static final class Builder {
    private final Supplier<ExtProcTarget> target;
    private Scheduler scheduler;
    private int port;
    private ProcessingObserver observer = ProcessingObserver.NONE;
    private Limits limits = Limits.DEFAULT;
    private Duration shutdownGrace = Duration.ofSeconds(5);

    private Builder(Supplier<ExtProcTarget> target) {
      this.target = target;
    }

    /** Times processor timeouts; a shared timer thread by default, a manual one in tests. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /** The port to listen on (all interfaces); 0, the default, picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** Told about every processor stage, for per-processor metrics. */
    public Builder observer(ProcessingObserver observer) {
      this.observer = observer == null ? ProcessingObserver.NONE : observer;
      return this;
    }

    public Builder limits(Limits limits) {
      if (limits.maxRequestBodyBytes() <= 0 || limits.maxResponseBodyBytes() <= 0 || limits.maxEventBytes() <= 0) {
        throw new IllegalArgumentException("limits must be positive: " + limits);
      }
      this.limits = limits;
      return this;
    }

    /** How long {@link #close()} lets streams in progress finish. */
    public Builder shutdownGrace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("negative shutdown grace");
      }
      this.shutdownGrace = grace;
      return this;
    }

    public ExtProcServer build() {
      return new ExtProcServer(this);
    }
  }
}
