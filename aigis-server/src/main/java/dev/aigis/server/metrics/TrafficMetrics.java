package dev.aigis.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Upstream traffic management as metrics: attempts (by route, backend and configured host), retries and failovers by route and backend,
 * each backend's circuit state and the requests its concurrency cap or retry budget turned away.
 * Labels are route and backend names from the configuration and closed sets of reasons, so a
 * caller cannot create series; the families are capped like the gateway's others.
 */
public final class TrafficMetrics {

  /** A circuit's state as {@code aigis_backend_circuit_state} reports it. */
  public enum CircuitState {
    CLOSED(0), OPEN(1), HALF_OPEN(2);

    public final int value;

    CircuitState(int value) {
      this.value = value;
    }
  }


  private final MeterRegistry registry;
  private final CappedCounters counters;
  private final ConcurrentHashMap<String, AtomicInteger> circuits = new ConcurrentHashMap<>();

  public TrafficMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.counters = new CappedCounters(registry);
  }

  /**
   * One request sent to a backend (the first try or a retry).
   *
   * @param gateway {@code namespace/name} of the Gateway the request came through
   * @param host the host the backend's configuration dials (its endpoint or XBackend hostname),
   *     never the request's Host, so the label set stays as small as the configuration
   */
  public void attempt(String gateway, String route, String backend, String host) {
    counter("aigis_upstream_attempts", "Requests sent upstream, first tries and retries", "gateway", gateway,
        "route", route, "backend", backend, "host", host).increment();
  }

  /**
   * A retry decided after an attempt on {@code backend} failed.
   *
   * @param reason the upstream status ({@code "503"}) or the gateway's error code ({@code upstream_unreachable})
   */
  public void retry(String gateway, String route, String backend, String reason) {
    counter("aigis_upstream_retries", "Attempts sent again after a failure", "gateway", gateway, "route", route,
        "backend", backend, "reason", reason).increment();
  }

  /** A retry that went to another backend than the attempt before it. */
  public void failover(String gateway, String route, String from, String to) {
    counter("aigis_upstream_failovers", "Retries sent to another backend", "gateway", gateway, "route", route,
        "from", from, "to", to).increment();
  }

  /**
   * A retry not sent, or a request turned away by a backend's own limit.
   *
   * @param reason {@code retry_budget}, {@code concurrency_limit} or {@code circuit_open}
   */
  public void rejected(String backend, String reason) {
    counter("aigis_backend_rejections", "Requests or retries a backend's limits turned away", "backend", backend,
        "reason", reason).increment();
  }

  /** The backend's circuit breaker moved to {@code state}. */
  public void circuit(String backend, CircuitState state) {
    AtomicInteger value = circuits.computeIfAbsent(backend, name -> {
      AtomicInteger gauge = new AtomicInteger();
      Gauge.builder("aigis_backend_circuit_state", gauge, AtomicInteger::get)
          .description("A backend's circuit breaker: 0 closed, 1 open, 2 half-open").tag("backend", name)
          .register(registry);
      return gauge;
    });
    value.set(state.value);
  }

  private Counter counter(String name, String description, String... tags) {
    return counters.counter(name, description, tags);
  }
}
