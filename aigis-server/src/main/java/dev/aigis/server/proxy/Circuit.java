package dev.aigis.server.proxy;

import dev.aigis.model.backend.BackendTraffic.CircuitBreaker;
import dev.aigis.server.metrics.TrafficMetrics;
import dev.aigis.server.metrics.TrafficMetrics.CircuitState;

/**
 * One backend's circuit breaker (outlier detection). Closed, it counts attempt outcomes in a fixed
 * window and opens after {@code consecutiveFailures} failures in a row or a failure rate at or over
 * {@code failureRatePercent} once the window holds {@code minimumRequests}; open, it refuses every
 * attempt for {@code openFor}; half-open, it lets {@code halfOpenProbes} attempts through, and the
 * first outcome decides: a success closes it, a failure opens it again.
 *
 * <p>The configuration comes with each call (a reload may change it; the state survives). Shared by
 * every event loop, so each method holds the lock, briefly; with no breaker configured nothing is
 * locked.
 */
final class Circuit {

  private final String backend;
  private final TrafficMetrics metrics;
  private CircuitState state = CircuitState.CLOSED;
  private int consecutive;
  private long windowStart;
  private int windowTotal;
  private int windowFailures;
  private long openedAt;
  private int probesOut;

  Circuit(String backend, TrafficMetrics metrics) {
    this.backend = backend;
    this.metrics = metrics;
  }

  /** Whether a pick may choose this backend now (an open circuit whose cool-down ended turns half-open). */
  synchronized boolean allows(CircuitBreaker config, long nowMillis) {
    if (config == null) {
      return true;
    }
    if (state == CircuitState.OPEN && nowMillis - openedAt >= config.openFor().toMillis()) {
      move(CircuitState.HALF_OPEN);
      probesOut = 0;
    }
    return state == CircuitState.CLOSED || (state == CircuitState.HALF_OPEN && probesOut < config.halfOpenProbes());
  }

  /** Takes the right to send one attempt: false when open, or half-open with every probe out. */
  synchronized boolean acquire(CircuitBreaker config, long nowMillis) {
    if (!allows(config, nowMillis)) {
      return false;
    }
    if (config != null && state == CircuitState.HALF_OPEN) {
      probesOut++;
    }
    return true;
  }

  /** An attempt's outcome: a failure is no connection, a timeout, a 429 or a 5xx. */
  synchronized void record(CircuitBreaker config, long nowMillis, boolean failed) {
    if (config == null) {
      return;
    }
    switch (state) {
      case HALF_OPEN -> {
        if (failed) {
          open(nowMillis);
        } else {
          move(CircuitState.CLOSED);
          reset(nowMillis);
        }
      }
      case OPEN -> { } // an answer to an attempt sent before it opened
      case CLOSED -> {
        if (nowMillis - windowStart >= config.window().toMillis()) {
          reset(nowMillis);
        }
        windowTotal++;
        if (failed) {
          windowFailures++;
          consecutive++;
        } else {
          consecutive = 0;
        }
        if (consecutive >= config.consecutiveFailures() || (windowTotal >= config.minimumRequests()
            && windowFailures * 100L >= (long) config.failureRatePercent() * windowTotal)) {
          open(nowMillis);
        }
      }
    }
  }

  /** A half-open probe that ended without an outcome (the client left): its slot is free again. */
  synchronized void abandoned() {
    if (state == CircuitState.HALF_OPEN && probesOut > 0) {
      probesOut--;
    }
  }

  synchronized CircuitState state() {
    return state;
  }

  private void open(long nowMillis) {
    openedAt = nowMillis;
    move(CircuitState.OPEN);
  }

  private void reset(long nowMillis) {
    windowStart = nowMillis;
    windowTotal = 0;
    windowFailures = 0;
    consecutive = 0;
  }

  private void move(CircuitState to) {
    state = to;
    metrics.circuit(backend, to);
  }
}
