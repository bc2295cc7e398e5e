package dev.aigis.server.proxy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.backend.BackendAdapter;
import dev.aigis.core.backend.BackendAdapters;
import dev.aigis.core.backend.Route;
import dev.aigis.core.processing.Scheduler;
import dev.aigis.core.routing.WeightedBackend;
import dev.aigis.model.backend.BackendTraffic;
import dev.aigis.model.route.RouteRetry;
import dev.aigis.model.snapshot.ResolvedBackend;
import dev.aigis.server.metrics.TrafficMetrics;
import io.vertx.core.http.HttpClientResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;

/**
 * Traffic management on the upstream leg, shared by every port and event loop: the route's retries
 * (GEP-1731 {@code retry}), failover by backendRef {@code priority}, each backend's circuit breaker
 * and concurrency cap, and the retry budget.
 *
 * <p>An attempt is retried only while the client has seen nothing: after a failure before the
 * response head, or on a head whose status the route lists in {@code retry.codes} (the head is held
 * until then, and that answer is drained unread). A request that arrives with {@link
 * #ATTEMPT_HEADER} came through another gateway, which owns the retries: it is never retried here.
 */
public final class Traffic {

  /** The hop header: the attempt number, sent upstream with every attempt. */
  static final String ATTEMPT_HEADER = "x-aigis-attempt";
  /** A {@code Retry-After} longer than this is not waited for: the client gets the answer. */
  static final Duration RETRY_AFTER_CAP = Duration.ofSeconds(30);
  /** The exponential backoff stops growing here. */
  static final Duration BACKOFF_CAP = Duration.ofSeconds(10);
  /** Retries in flight to a backend may be at most this share of its requests in flight... */
  static final int BUDGET_PERCENT = 20;
  /** ...or this many, whichever is more, so a quiet backend can still be retried. */
  static final int BUDGET_MINIMUM = 3;

  private final TrafficMetrics metrics;
  private final InstantSource clock;
  private final DoubleSupplier jitter;
  private final Map<String, Load> loads = new ConcurrentHashMap<>();

  /** @param clock the circuit breakers' and {@code Retry-After} dates' time */
  public Traffic(TrafficMetrics metrics, InstantSource clock) {
    this(metrics, clock, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
  }

  /** @param jitter a draw in [0, 1) for full-jitter backoff (a test's constant) */
  Traffic(TrafficMetrics metrics, InstantSource clock, DoubleSupplier jitter) {
    this.metrics = metrics;
    this.clock = clock;
    this.jitter = jitter;
  }

  /** One backend's requests in flight, retries among them, and circuit. */
  private static final class Load {
    final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger retries = new java.util.concurrent.atomic.AtomicInteger();
    final Circuit circuit;

    Load(String backend, TrafficMetrics metrics) {
      this.circuit = new Circuit(backend, metrics);
    }
  }

  private Load load(ResolvedBackend backend) {
    return loads.computeIfAbsent(backend.key(), key -> new Load(key, metrics));
  }

  private static BackendTraffic.CircuitBreaker breaker(ResolvedBackend backend) {
    return backend.backend().traffic().circuitBreaker();
  }

  /** Whether a pick may choose {@code backend}: resolved, and its circuit not open. */
  boolean healthy(WeightedBackend backend) {
    return backend.resolved()
        && (breaker(backend.backend()) == null || load(backend.backend()).circuit.allows(breaker(backend.backend()), clock.millis()));
  }

  /**
   * Takes a slot for {@code attempt} on its backend, or says why not (the cap is full, or the
   * circuit refuses it); the exchange's previous slot is given back first.
   */
  GatewayError admit(Exchange exchange, UpstreamLeg.Attempt attempt) {
    exchange.releaseAttempt();
    ResolvedBackend backend = attempt.backend().backend();
    Load load = load(backend);
    Integer cap = backend.backend().traffic().maxConcurrentRequests();
    if (cap != null && load.active.incrementAndGet() > cap) {
      load.active.decrementAndGet();
      metrics.rejected(backend.key(), "concurrency_limit");
      return new GatewayError.BackendBusy(backend.key(), cap);
    } else if (cap == null) {
      load.active.incrementAndGet();
    }
    BackendTraffic.CircuitBreaker breaker = breaker(backend);
    if (breaker != null && !load.circuit.acquire(breaker, clock.millis())) {
      load.active.decrementAndGet();
      metrics.rejected(backend.key(), "circuit_open");
      return new GatewayError.NoHealthyBackend(exchange.routeName());
    }
    boolean retry = attempt.number() > 1;
    if (retry) {
      load.retries.incrementAndGet();
    }
    var outcome = new boolean[1]; // whether the circuit heard of this attempt
    exchange.attemptOutcome = failed -> {
      if (!outcome[0]) {
        outcome[0] = true;
        load.circuit.record(breaker, clock.millis(), failed);
      }
    };
    exchange.attemptRelease = () -> {
      load.active.decrementAndGet();
      if (retry) {
        load.retries.decrementAndGet();
      }
      if (breaker != null && !outcome[0]) {
        load.circuit.abandoned();
      }
    };
    metrics.attempt(gatewayOf(exchange), exchange.routeName(), backend.key(), configuredHost(backend));
    return null;
  }

  /**
   * The host an attempt dials as the configuration names it (the endpoint's, or the XBackend's
   * external hostname): never the request's Host, which a client or filter could vary.
   */
  private static String configuredHost(ResolvedBackend backend) {
    return backend.backend().endpoint() instanceof dev.aigis.model.backend.BackendEndpoint.Url url
        ? url.host().toLowerCase(java.util.Locale.ROOT) : "builtin";
  }

  /** Decorates the leg's failure handling with the route's retries; backoffs wait on {@code timers}. */
  UnaryOperator<UpstreamLeg.AttemptFailure> retries(Scheduler timers) {
    return fallback -> (exchange, attempt, error, resend) -> {
      boolean sent = !(error instanceof GatewayError.BackendBusy || error instanceof GatewayError.NoHealthyBackend);
      if (sent) {
        exchange.outcome(true);
      }
      if (!retry(exchange, attempt, error.code(), null, resend, timers)) {
        fallback.failed(exchange, attempt, error, resend);
      }
    };
  }

  /**
   * The upstream answered {@code response}'s head, and nothing has reached the client: true when it
   * is retried instead of relayed (its status is in the route's {@code retry.codes}), and then the
   * answer is drained and dropped.
   */
  boolean retriesAnswer(Exchange exchange, UpstreamLeg.Attempt attempt, HttpClientResponse response,
      Consumer<UpstreamLeg.Attempt> resend, Scheduler timers) {
    int status = response.statusCode();
    exchange.outcome(status == 429 || status >= 500);
    RouteRetry retry = exchange.match().rule().retry();
    if (retry == null || !retry.codes().contains(status)) {
      return false;
    }
    Duration retryAfter = retryAfter(response.getHeader("retry-after"));
    if (retryAfter != null && retryAfter.compareTo(RETRY_AFTER_CAP) > 0) {
      return false;
    }
    if (!retry(exchange, attempt, Integer.toString(status), retryAfter, resend, timers)) {
      return false;
    }
    response.handler(chunk -> { }); // drained so the connection can be reused; the idle timeout bounds it
    response.exceptionHandler(err -> { });
    return true;
  }

  private boolean retry(Exchange exchange, UpstreamLeg.Attempt attempt, String reason, Duration retryAfter,
      Consumer<UpstreamLeg.Attempt> resend, Scheduler timers) {
    RouteRetry retry = exchange.match() == null ? null : exchange.match().rule().retry();
    if (resend == null || retry == null || attempt.number() >= retry.attempts() || exchange.finished()
        || exchange.request.headers().contains(ATTEMPT_HEADER)) {
      return false;
    }
    if (exchange.tried == null) {
      exchange.tried = new ArrayList<>(2);
    }
    exchange.tried.add(attempt.backend());
    // An untried healthy backend, lowest priority first; else the same one again.
    WeightedBackend next = exchange.match().backends()
        .pick(java.util.concurrent.ThreadLocalRandom.current(), b -> !exchange.tried.contains(b) && healthy(b))
        .orElse(healthy(attempt.backend()) ? attempt.backend() : null);
    if (next == null) {
      return false;
    }
    BackendAdapter adapter = next == attempt.backend() ? attempt.adapter() : adapterFor(exchange, next);
    if (adapter == null) {
      return false;
    }
    Load load = load(next.backend());
    int inFlight = load.active.get();
    if (load.retries.get() >= Math.max(BUDGET_MINIMUM, inFlight * BUDGET_PERCENT / 100)) {
      metrics.rejected(next.backend().key(), "retry_budget");
      return false;
    }
    exchange.releaseAttempt();
    String route = exchange.routeName();
    metrics.retry(gatewayOf(exchange), route, attempt.backend().backend().key(), reason);
    if (next != attempt.backend()) {
      metrics.failover(gatewayOf(exchange), route, attempt.backend().backend().key(), next.backend().key());
    }
    Duration delay = next == attempt.backend() && retryAfter != null ? retryAfter : backoff(retry.backoff(), attempt.number());
    UpstreamLeg.Attempt again = attempt.next(next, adapter);
    if (delay.toMillis() < 1) {
      resend.accept(again);
    } else {
      timers.schedule(delay, () -> {
        if (!exchange.finished()) {
          resend.accept(again);
        }
      });
    }
    return true;
  }

  /** The adapter for {@code backend}'s schema and the client's API: failover translates per attempt. */
  private BackendAdapter adapterFor(Exchange exchange, WeightedBackend backend) {
    Route route = BackendAdapters.route(exchange.endpoint, backend.backend(), exchange.body,
        exchange.processed.hasBody(), clock);
    return route instanceof Route.Upstream upstream ? upstream.adapter() : null;
  }

  /** Full jitter (AWS's "exponential backoff and jitter"): uniform in [0, min(cap, base * 2^(n-1))]. */
  Duration backoff(Duration base, int failedAttempt) {
    long ceiling = Math.min(BACKOFF_CAP.toMillis(), base.toMillis() << Math.min(20, failedAttempt - 1));
    return Duration.ofMillis((long) (jitter.getAsDouble() * ceiling));
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
  Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String text = value.trim();
    try {
      long seconds = Long.parseLong(text);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
        return until.isNegative() ? Duration.ZERO : until;
      } catch (java.time.format.DateTimeParseException notDate) {
        return null;
      }
    }
  }

  /** Each backend's circuit and load, for {@code GET /admin/backends}. */
  public String backendsJson() {
    var out = new StringBuilder("{\"backends\":[");
    var names = new java.util.TreeSet<>(loads.keySet());
    boolean first = true;
    for (String name : names) {
      Load load = loads.get(name);
      out.append(first ? "" : ",").append("{\"backend\":\"").append(name.replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\",\"circuit\":\"").append(load.circuit.state().name().toLowerCase(java.util.Locale.ROOT))
          .append("\",\"active\":").append(load.active.get())
          .append(",\"retries\":").append(load.retries.get()).append('}');
      first = false;
    }
    return out.append("]}").toString();
  }

  /** The Gateway label: {@code namespace/name} from configuration, "" before a listener matched. */
  private static String gatewayOf(Exchange exchange) {
    return exchange.gateway == null ? "" : exchange.gateway;
  }
}
