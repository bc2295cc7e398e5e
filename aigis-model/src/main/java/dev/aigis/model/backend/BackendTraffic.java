package dev.aigis.model.backend;

import java.time.Duration;

/**
 * An AIBackend's own traffic limits: at most {@code maxConcurrentRequests} requests in flight (null:
 * no cap), and a circuit breaker (null: none) that stops sending to a backend that keeps failing.
 */
public record BackendTraffic(Integer maxConcurrentRequests, CircuitBreaker circuitBreaker) {

  public static final BackendTraffic NONE = new BackendTraffic(null, null);

  /**
   * Opens when {@code consecutiveFailures} attempts in a row failed, or when at least {@code
   * minimumRequests} attempts in the current {@code window} failed at {@code failureRatePercent} or
   * more; stays open {@code openFor}, then lets {@code halfOpenProbes} attempts through: one success
   * closes it, one failure opens it again. A failure is a connection failure or timeout, a 429 or a
   * 5xx.
   */
  public record CircuitBreaker(int consecutiveFailures, int failureRatePercent, int minimumRequests, Duration window,
      Duration openFor, int halfOpenProbes) {

    public static final CircuitBreaker DEFAULTS =
        new CircuitBreaker(5, 50, 20, Duration.ofSeconds(30), Duration.ofSeconds(30), 1);
  }
}
