package dev.aigis.core.ratelimit;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where rate-limit counters live: {@link MemoryRateLimitStore} (one replica) or a Redis store
 * (shared by every replica), optionally behind a {@link FailoverRateLimitStore}.
 *
 * <h2>The algorithm</h2>
 *
 * Each {@link Charge} names a counter: its bucket in one fixed {@link Window} (see there for why
 * fixed windows). {@link #admit} looks at every charge's counter and refuses the request iff some
 * counter is <em>exhausted</em>, that is {@code used >= limit} before the charge. Otherwise it adds
 * every charge's cost, atomically across the whole list: all charges are counted or none. A request
 * is not refused because its own cost would cross the limit, only because the limit is already
 * reached; so the request that crosses it is admitted and the next one is refused.
 *
 * <p>For a cost of 1 (REQUESTS) that makes a limit of N admit exactly N per window. For TOKENS and
 * COST, where the cost is an estimate made before the response and {@link #adjust reconciled}
 * after it, a window's admitted cost stays within
 *
 * <pre>   used &le; limit - 1 + (the largest single cost admitted)</pre>
 *
 * at admission time (the <em>in-flight bound</em>: the last admitted request may overshoot by its
 * own cost), plus whatever the adjustments of requests already admitted add once their real usage is
 * known (an under-estimate is charged late, never refused). Across a window boundary a client may
 * spend up to twice the volume within one window length.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>All methods are thread-safe and never block the caller: they return a stage, which may
 *       complete on the caller's thread (memory) or on an I/O thread (Redis). A caller that must
 *       continue on its own event loop hops back itself.
 *   <li>A store bounds the time of every call itself (a store backed by a network service fails the
 *       stage when its timeout passes), so a stage always completes.
 *   <li>Invalid input (a negative admission cost) fails the stage with {@link
 *       IllegalArgumentException}; every other failure means the store could not answer.
 *   <li>Time comes from the caller's windows and the store's injected clock, so tests move time
 *       without sleeping.
 * </ul>
 */
public interface RateLimitStore extends AutoCloseable {

  /**
   * Refuses iff some charge's counter is exhausted; otherwise counts every charge, all or nothing.
   * An empty list is admitted.
   */
  CompletionStage<Admission> admit(List<Charge> charges);

  /**
   * Adds each delta's cost, of either sign, to its counter: the difference between what a request
   * was charged on admission and what it really used. A counter never drops below 0. A delta to a
   * window that has already ended is ignored (harmless: that budget is gone); a positive delta to a
   * live window with no counter yet creates it.
   */
  CompletionStage<Void> adjust(List<Charge> deltas);

  /** Every counter of a live window, in no particular order: for an admin usage report, not the request path. */
  CompletionStage<List<BucketState>> snapshot();

  /** Releases connections and memory; calls after close fail or find nothing. */
  @Override
  void close();
}
