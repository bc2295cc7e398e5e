package dev.aigis.server;

import dev.aigis.extproc.ExtProcChannels;
import dev.aigis.model.ConfigException;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.model.snapshot.ResolvedBackend;
import dev.aigis.server.admin.AdminServer;
import dev.aigis.server.metrics.GatewayMetrics;
import dev.aigis.server.processing.ProcessingCompiler;
import dev.aigis.server.proxy.HttpFrontDoor;
import dev.aigis.core.exchange.BoundedWorkers;
import dev.aigis.server.proxy.RuntimeConfig;
import dev.aigis.server.proxy.UpstreamClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running data plane: listeners, admin port and the current configuration. {@link #apply}
 * swaps configuration atomically; requests already in flight finish on the snapshot they started with.
 */
public final class GatewayServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

  private final Vertx vertx;
  private final ServerOptions options;
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final UpstreamClients clients;
  private final ExtProcChannels extProcChannels = new ExtProcChannels();
  private final dev.aigis.server.policy.PolicyRuntime policyRuntime;
  private static final long RULE_REFRESH_MILLIS = 2_000;
  private final ProcessingCompiler processingCompiler;
  private final dev.aigis.core.guard.processor.GuardRuntime guardRuntime;
  private final dev.aigis.core.rag.KnowledgeRuntime knowledgeRuntime;
  private final dev.aigis.core.cache.CacheRuntime cacheRuntime;
  private final dev.aigis.server.cache.RedisCacheStoreFactory sharedCacheStores;
  private final dev.aigis.server.processing.ProcessorRuntimes runtimes;
  private final AtomicReference<RuntimeConfig> current = new AtomicReference<>();
  /** CPU-heavy processor work runs here, never on an event loop; bounded so saturation fails fast. */
  private final BoundedWorkers workers =
      new BoundedWorkers(Math.max(1, Runtime.getRuntime().availableProcessors()), 1024);
  private final ListenerManager listeners;
  private final AdminServer admin;
  private volatile boolean ready;
  private int adminPort = -1;

  private GatewayServer(ServerOptions options, java.time.InstantSource clock, dev.aigis.server.audit.AuditLog audit) {
    this.options = options;
    int loops = options.eventLoops() > 0 ? options.eventLoops() : Runtime.getRuntime().availableProcessors();
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    this.clients = new UpstreamClients(vertx, options.resolve(),
        new dev.aigis.server.metrics.EgressMetrics(metrics.registry()), clock);
    this.policyRuntime = new dev.aigis.server.policy.PolicyRuntime(vertx, clock, workers,
        new dev.aigis.server.metrics.PolicyMetrics(metrics.registry()));
    this.guardRuntime = new dev.aigis.core.guard.processor.GuardRuntime(clock,
        new dev.aigis.server.metrics.GuardMetrics(metrics.registry()),
        new dev.aigis.server.metrics.EmbeddingMetrics(metrics.registry()),
        dev.aigis.core.guard.processor.GuardRuntime.hashKeyFrom(System.getenv()));
    this.knowledgeRuntime = dev.aigis.core.rag.KnowledgeRuntime.live(guardRuntime::embeddings,
        new dev.aigis.server.metrics.RagMetrics(metrics.registry()));
    // Response caches embed on the guards' one embedding service; shared caches live in Redis.
    this.sharedCacheStores = new dev.aigis.server.cache.RedisCacheStoreFactory(vertx, clock, metrics.registry());
    this.cacheRuntime = new dev.aigis.core.cache.CacheRuntime(clock,
        new dev.aigis.server.metrics.CacheMetrics(metrics.registry()), sharedCacheStores, guardRuntime::embeddings);
    this.runtimes = new dev.aigis.server.processing.ProcessorRuntimes(guardRuntime,
        new dev.aigis.core.routing.semantic.SemanticRouteRuntime(guardRuntime::embeddings,
            new dev.aigis.server.metrics.SemanticRouteMetrics(metrics.registry())),
        cacheRuntime, knowledgeRuntime);
    this.processingCompiler = new ProcessingCompiler(extProcChannels, policyRuntime, runtimes);
    // Guardrail rule files and knowledge-base files are re-read when they change; file reads (and
    // re-embedding) stay off the event loops.
    vertx.setPeriodic(RULE_REFRESH_MILLIS, id -> workers.submit(() -> {
      guardRuntime.refreshRules();
      return null;
    }));
    vertx.setPeriodic(RULE_REFRESH_MILLIS, id -> Thread.ofVirtual().name("aigis-knowledge-refresh")
        .start(knowledgeRuntime::refresh));
    // One for every port: a backend has one circuit breaker and one concurrency count.
    var traffic = new dev.aigis.server.proxy.Traffic(new dev.aigis.server.metrics.TrafficMetrics(metrics.registry()), clock);
    this.listeners = new ListenerManager(vertx, options, loops,
        port -> new HttpFrontDoor(port, current::get, options, clients, metrics, vertx, workers, traffic).audit(audit),
        metrics);
    if (audit != null) {
      io.micrometer.core.instrument.FunctionCounter.builder("aigis.audit.dropped", audit,
              dev.aigis.server.audit.AuditLog::dropped)
          .description("Audit records lost because the writer's queue was full or the disk failed")
          .register(metrics.registry());
    }
    this.admin = new AdminServer(vertx, metrics, () -> ready, () -> policyRuntime.usage()
        .thenApply(buckets -> dev.aigis.server.policy.UsageReport.render(current.get().snapshot(), buckets)))
        .backends(traffic::backendsJson);
  }

  /**
   * Starts serving {@code snapshot}; returns once every listener and the admin port are bound.
   *
   * @throws ConfigException when a PayloadProcessor's expressions do not compile
   */
  public static GatewayServer start(ConfigSnapshot snapshot, ServerOptions options) throws ConfigException {
    return start(snapshot, options, java.time.InstantSource.system());
  }

  /** @param clock the time rate-limit windows and credential expiry are judged by (a test's manual one) */
  public static GatewayServer start(ConfigSnapshot snapshot, ServerOptions options, java.time.InstantSource clock)
      throws ConfigException {
    return start(snapshot, options, clock, null);
  }

  /**
   * @param audit where the HTTP data plane records every outbound call and policy refusal, or null
   *     for none; the caller closes it after this server (the ext_proc server does not audit)
   */
  public static GatewayServer start(ConfigSnapshot snapshot, ServerOptions options, java.time.InstantSource clock,
      dev.aigis.server.audit.AuditLog audit) throws ConfigException {
    // The tokenizer's ranks take ~0.5 s to load; load them now rather than on the first echo request.
    Thread.ofVirtual().name("aigis-tokenizer-warmup").start(() -> dev.aigis.core.usage.TokenCounter.count("warm up"));
    var server = new GatewayServer(options, clock, audit);
    try {
      if (options.adminPort() >= 0) {
        server.adminPort = await(server.admin.start(options.adminHost(), options.adminPort()));
        LOG.info("admin endpoints on http://{}:{} (/healthz, /readyz, /metrics)", options.adminHost(), server.adminPort);
      }
      server.apply(snapshot);
    } catch (RuntimeException | ConfigException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * Serves a new snapshot from the next request on; throws if a new port cannot be bound.
   *
   * @throws ConfigException when a PayloadProcessor's expressions do not compile (nothing changes)
   */
  public synchronized void apply(ConfigSnapshot snapshot) throws ConfigException {
    RuntimeConfig compiled;
    try {
      compiled = RuntimeConfig.compile(snapshot, processingCompiler.compile(snapshot));
      // Bind new ports before switching, so a port that cannot be bound refuses the whole change.
      // On first start there is nothing to keep serving, so the new configuration goes in at once.
      current.compareAndSet(null, compiled);
      await(listeners.apply(snapshot));
    } catch (ConfigException | RuntimeException e) {
      runtimes.discarded();
      throw e;
    }
    current.set(compiled);
    runtimes.committed();
    clients.retainOnly(endpointsOf(snapshot));
    ready = true;
  }

  /**
   * Completes when the ports the last {@link #apply} removed have drained their in-flight requests
   * and closed; {@code apply} itself returns without waiting for that.
   */
  public Future<Void> portsReleased() {
    return listeners.released();
  }

  public int adminPort() {
    return adminPort;
  }

  /** The port actually bound for a configured listener port (they differ when 0 was configured). */
  public int boundPort(int configuredPort) {
    Integer port = listeners.actualPorts().get(configuredPort);
    if (port == null) {
      throw new IllegalArgumentException("no listener on port " + configuredPort);
    }
    return port;
  }

  public Map<Integer, Integer> boundPorts() {
    return listeners.actualPorts();
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /** What the response caches share (their stores, and when answers finished storing). */
  public dev.aigis.core.cache.CacheRuntime caches() {
    return cacheRuntime;
  }

  /** The Redis response-cache stores this gateway opened (their sync state, for tests and operators). */
  public dev.aigis.server.cache.RedisCacheStoreFactory sharedCacheStores() {
    return sharedCacheStores;
  }

  public ConfigSnapshot snapshot() {
    return current.get().snapshot();
  }

  @Override
  public void close() {
    ready = false;
    try {
      await(listeners.close());
      await(admin.close());
    } catch (RuntimeException e) {
      LOG.warn("error while closing listeners: {}", e.getMessage());
    }
    clients.close();
    extProcChannels.close();
    policyRuntime.close();
    runtimes.close();
    sharedCacheStores.close();
    workers.close();
    await(vertx.close());
  }

  private static Set<UpstreamClients.EndpointKey> endpointsOf(ConfigSnapshot snapshot) {
    Set<UpstreamClients.EndpointKey> keys = new HashSet<>();
    for (ResolvedBackend backend : snapshot.backends().values()) {
      if (backend.backend().endpoint() instanceof BackendEndpoint.Url url) {
        keys.add(UpstreamClients.EndpointKey.of(backend));
      }
    }
    return keys;
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
