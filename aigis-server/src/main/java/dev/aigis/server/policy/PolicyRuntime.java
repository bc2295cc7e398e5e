package dev.aigis.server.policy;

import dev.aigis.core.exchange.Workers;
import dev.aigis.core.identity.JwksSources;
import dev.aigis.core.policy.PolicyObserver;
import dev.aigis.core.policy.PricedEstimates;
import dev.aigis.core.policy.UsageEstimates;
import dev.aigis.core.ratelimit.FailoverRateLimitStore;
import dev.aigis.core.ratelimit.MemoryRateLimitStore;
import dev.aigis.core.ratelimit.Prices;
import dev.aigis.core.ratelimit.RateLimitStore;
import dev.aigis.model.RateLimitPolicy;
import dev.aigis.model.policy.RateLimitStoreSpec;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.server.metrics.PolicyMetrics;
import dev.aigis.server.ratelimit.RedisRateLimitStore;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What outlives a configuration snapshot for the policy processors: the in-memory counters, one
 * Redis client per distinct store, JWKS caches. A reload that keeps a policy keeps its counters;
 * a Redis store stays open until the gateway stops.
 */
public final class PolicyRuntime implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PolicyRuntime.class);

  private final Vertx vertx;
  private final InstantSource clock;
  private final Workers workers;
  private final PolicyMetrics metrics;
  private final JwksSources jwks;
  private final MemoryRateLimitStore memory;
  private final Map<StoreKey, RateLimitStore> shared = new ConcurrentHashMap<>();
  private final Map<GuardKey, RateLimitStore> guarded = new ConcurrentHashMap<>();

  /** A shared store in one failure mode: policies that agree on both share health and fallback. */
  private record GuardKey(StoreKey store, RateLimitPolicy.StoreFailureMode mode) {}

  private record StoreKey(String url, String password, java.time.Duration timeout) {
    @Override
    public String toString() { // never the password
      return url;
    }
  }

  /**
   * @param vertx for Redis clients; null compiles (and validates) without ever connecting
   * @param metrics null: decisions are not measured
   */
  public PolicyRuntime(Vertx vertx, InstantSource clock, Workers workers, PolicyMetrics metrics) {
    this.vertx = vertx;
    this.clock = clock;
    this.workers = workers;
    this.metrics = metrics;
    this.jwks = new JwksSources(clock);
    this.memory = new MemoryRateLimitStore(clock);
  }

  /** For {@code aigis validate}: compiles everything, connects to nothing. */
  public static PolicyRuntime forValidation() {
    return new PolicyRuntime(null, InstantSource.system(), null, null);
  }

  InstantSource clock() {
    return clock;
  }

  JwksSources jwks() {
    return jwks;
  }

  PolicyObserver observer() {
    return metrics == null ? PolicyObserver.NONE : metrics;
  }

  UsageEstimates estimates(ConfigSnapshot snapshot) {
    return new PricedEstimates(Prices.shipped().with(snapshot.policies().prices()), workers);
  }

  /** The policy's store in its failure mode: memory, or the shared Redis store guarded by a local fallback. */
  RateLimitStore store(RateLimitPolicy policy, String password) {
    RateLimitStoreSpec spec = policy.store();
    if (spec.inMemory() || vertx == null) {
      return memory;
    }
    StoreKey key = new StoreKey(spec.redisUrl().toString(), password, spec.timeout());
    String label = redacted(spec.redisUrl());
    RateLimitStore redis = shared.computeIfAbsent(key,
        k -> new RedisRateLimitStore(vertx, spec, password, "aigis:rl", clock));
    // While Redis is down it is probed once per interval of the gateway's clock (the one windows use).
    return guarded.computeIfAbsent(new GuardKey(key, policy.failureMode()),
        k -> new FailoverRateLimitStore(redis, memory, policy.failureMode(), new FailoverRateLimitStore.Listener() {
          private volatile String lastCause = "";

          @Override
          public void onPrimaryFailure(Throwable cause) {
            // Vert.x and the store name host, port and operation, never the password.
            lastCause = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
          }

          @Override
          public void onTransition(boolean healthy) {
            if (healthy) {
              LOG.info("rate-limit store {} answers again ({} mode)", label, policy.failureMode());
            } else {
              LOG.warn("rate-limit store {} cannot be reached ({}); policies in {} mode now {}", label, lastCause,
                  policy.failureMode(), policy.failureMode() == RateLimitPolicy.StoreFailureMode.FailOpen
                      ? "count in this replica's memory" : "refuse requests with 503");
            }
            if (metrics != null) {
              metrics.storeHealthy(label, healthy);
            }
          }

          @Override
          public void onFallback() {
            if (metrics != null) {
              metrics.storeFallback(label);
            }
          }
        }, FailoverRateLimitStore.DEFAULT_PROBE_INTERVAL, clock));
  }

  /** Every bucket of every store, for the admin usage report. */
  public java.util.concurrent.CompletionStage<java.util.List<dev.aigis.core.ratelimit.BucketState>> usage() {
    var all = new java.util.ArrayList<java.util.concurrent.CompletionStage<java.util.List<dev.aigis.core.ratelimit.BucketState>>>();
    all.add(memory.snapshot());
    shared.values().forEach(store -> all.add(store.snapshot().exceptionally(e -> java.util.List.of())));
    java.util.concurrent.CompletableFuture<java.util.List<dev.aigis.core.ratelimit.BucketState>> result =
        java.util.concurrent.CompletableFuture.completedFuture(new java.util.ArrayList<>());
    for (var stage : all) {
      result = result.thenCombine(stage, (acc, more) -> {
        acc.addAll(more);
        return acc;
      });
    }
    return result;
  }

  /** {@code redis://host:port/db} without user or password: what logs and metric labels may show. */
  static String redacted(java.net.URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "")
        + (url.getPath() == null ? "" : url.getPath());
  }

  @Override
  public void close() {
    shared.values().forEach(store -> {
      try {
        store.close();
      } catch (Exception e) {
        LOG.debug("closing a rate-limit store failed", e);
      }
    });
    jwks.close();
  }
}
