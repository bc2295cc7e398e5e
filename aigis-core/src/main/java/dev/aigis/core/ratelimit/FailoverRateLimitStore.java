package dev.aigis.core.ratelimit;

import dev.aigis.model.RateLimitPolicy.StoreFailureMode;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A shared store (Redis) with the policy's failure mode applied when it cannot answer.
 *
 * <p>When a call to the primary fails (it bounds its own time, so a timeout is a failure too):
 *
 * <ul>
 *   <li>{@link StoreFailureMode#FailOpen}: the same call is made on the fallback, a per-replica
 *       {@link MemoryRateLimitStore}, and {@link Listener#onFallback()} counts it. While the primary
 *       is down each replica enforces the whole limit on its own, so the cluster admits up to
 *       replicas &times; limit; the fallback's counts are not carried over when the primary returns.
 *   <li>{@link StoreFailureMode#FailClosed}: the stage fails with {@link StoreUnavailable}; the caller
 *       answers 503.
 * </ul>
 *
 * <p><b>Health and recovery.</b> The store is healthy until a primary call fails, then unhealthy
 * until a primary call succeeds; {@link Listener#onTransition} is called exactly once per change,
 * so the caller logs once and sets a gauge. While unhealthy, calls do not wait on the primary: they
 * go straight to the fallback (FailOpen) or fail at once (FailClosed), except that at most one call
 * per probe interval (default {@value #DEFAULT_PROBE_MILLIS} ms of the injected clock) is tried on
 * the primary first. That probe is a real call, served by the primary when it answers, which ends
 * the outage. So an outage costs each request nothing beyond the fallback, and a recovered primary
 * is back in use within one probe interval. A probe interval of zero tries the primary on every call.
 *
 * <p>Calls overlap, so a call that started before the primary failed may complete after a later
 * call found it down (or the reverse). Each primary call is numbered when it starts, and only a
 * call newer than the one that last decided the state may change it: a stale answer never flips the
 * state back and forth.
 *
 * <p>Invalid input ({@link IllegalArgumentException} from the primary) is passed on as it is and
 * says nothing about health.
 */
public final class FailoverRateLimitStore implements RateLimitStore {

  private static final System.Logger LOG = System.getLogger(FailoverRateLimitStore.class.getName());
  static final long DEFAULT_PROBE_MILLIS = 1_000;
  public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMillis(DEFAULT_PROBE_MILLIS);

  /**
   * What the caller observes; called on whichever thread completes the call, so keep it quick.
   * Exceptions are logged and ignored.
   */
  public interface Listener {

    /** The primary went down ({@code false}) or came back ({@code true}); once per change. */
    void onTransition(boolean healthy);

    /** One call was served by the fallback (FailOpen only). */
    void onFallback();

    /** Every failure of a primary call, including those that change nothing (for debug logs). */
    default void onPrimaryFailure(Throwable cause) {}

    Listener NONE = new Listener() {
      @Override
      public void onTransition(boolean healthy) {}

      @Override
      public void onFallback() {}
    };
  }

  private final RateLimitStore primary;
  private final RateLimitStore fallback;
  private final StoreFailureMode mode;
  private final Listener listener;
  private final long probeMillis;
  private final InstantSource clock;
  /** The start number of the call that last decided the state, shifted left once; the low bit is 1 when healthy. */
  private final AtomicLong state = new AtomicLong(1);
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong nextProbe = new AtomicLong();
  private volatile Throwable lastFailure;

  public FailoverRateLimitStore(
      RateLimitStore primary, RateLimitStore fallback, StoreFailureMode mode, Listener listener) {
    this(primary, fallback, mode, listener, DEFAULT_PROBE_INTERVAL, InstantSource.system());
  }

  /**
   * @param fallback required for FailOpen; unused (may be null) for FailClosed
   * @param probeInterval how often, at most, an unhealthy primary is tried; zero: on every call
   */
  public FailoverRateLimitStore(RateLimitStore primary, RateLimitStore fallback, StoreFailureMode mode,
      Listener listener, Duration probeInterval, InstantSource clock) {
    this.primary = Objects.requireNonNull(primary, "primary");
    this.mode = Objects.requireNonNull(mode, "mode");
    this.fallback = mode == StoreFailureMode.FailOpen ? Objects.requireNonNull(fallback, "fallback") : fallback;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (probeInterval.isNegative()) {
      throw new IllegalArgumentException("probeInterval must not be negative, got " + probeInterval);
    }
    this.probeMillis = probeInterval.toMillis();
  }

  @Override
  public CompletionStage<Admission> admit(List<Charge> charges) {
    return call(store -> store.admit(charges));
  }

  @Override
  public CompletionStage<Void> adjust(List<Charge> deltas) {
    return call(store -> store.adjust(deltas));
  }

  /** The primary's buckets; while it is down and failing open, this replica's fallback buckets only. */
  @Override
  public CompletionStage<List<BucketState>> snapshot() {
    return call(RateLimitStore::snapshot);
  }

  /** Whether the primary answered the deciding call. */
  public boolean healthy() {
    return (state.get() & 1) == 1;
  }

  /** Closes both stores. */
  @Override
  public void close() {
    try {
      primary.close();
    } finally {
      if (fallback != null) {
        fallback.close();
      }
    }
  }

  private <T> CompletionStage<T> call(Function<RateLimitStore, CompletionStage<T>> operation) {
    if (!tryPrimary()) {
      return degraded(operation, lastFailure);
    }
    long number = started.incrementAndGet();
    return invoke(primary, operation)
        .thenApply(result -> {
          record(number, true);
          return result;
        })
        .exceptionallyCompose(failure -> {
          Throwable cause = unwrap(failure);
          if (cause instanceof IllegalArgumentException) {
            return CompletableFuture.failedFuture(cause);
          }
          lastFailure = cause;
          notify(() -> listener.onPrimaryFailure(cause));
          record(number, false);
          return degraded(operation, cause);
        });
  }

  private boolean tryPrimary() {
    if (healthy()) {
      return true;
    }
    long now = clock.millis();
    long due = nextProbe.get();
    return now >= due && nextProbe.compareAndSet(due, now + probeMillis);
  }

  /**
   * Moves the state to {@code healthy} if call {@code number} is newer than the one that decided it.
   * Transitions (and their notifications) are serialised, so the listener sees them in state order;
   * a call that confirms the state only bumps the number.
   */
  private void record(long number, boolean healthy) {
    long next = number << 1 | (healthy ? 1 : 0);
    while (true) {
      long current = state.get();
      if (number <= current >>> 1) {
        return;
      }
      if (((current & 1) == 1) == healthy) {
        if (state.compareAndSet(current, next)) {
          return;
        }
        continue;
      }
      synchronized (state) {
        current = state.get();
        if (number <= current >>> 1) {
          return;
        }
        if (((current & 1) == 1) != healthy && state.compareAndSet(current, next)) {
          if (!healthy) {
            nextProbe.set(clock.millis() + probeMillis);
          }
          notify(() -> listener.onTransition(healthy));
          return;
        }
      }
    }
  }

  private <T> CompletionStage<T> degraded(Function<RateLimitStore, CompletionStage<T>> operation, Throwable cause) {
    if (mode == StoreFailureMode.FailClosed) {
      return CompletableFuture.failedFuture(new StoreUnavailable(
          "the rate-limit store is unavailable and the policy fails closed"
              + (cause == null ? "" : ": " + cause.getMessage()), cause));
    }
    notify(listener::onFallback);
    return invoke(fallback, operation);
  }

  private static <T> CompletionStage<T> invoke(RateLimitStore store, Function<RateLimitStore, CompletionStage<T>> operation) {
    try {
      return operation.apply(store);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "a rate-limit store listener failed", e);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
