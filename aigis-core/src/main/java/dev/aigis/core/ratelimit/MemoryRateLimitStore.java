package dev.aigis.core.ratelimit;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counters in this replica's memory: the store of a policy without Redis, and the per-replica
 * fallback of a {@link FailoverRateLimitStore} that fails open.
 *
 * <p><b>Threading.</b> Counters are guarded by {@value #STRIPES} striped locks; a call takes the
 * stripes of its charges in ascending order (so two calls never deadlock), checks, counts and
 * releases them. That makes a multi-charge admission atomic and keeps unrelated buckets from
 * contending. Every stage is already complete when returned; nothing blocks but those short locks.
 *
 * <p><b>Memory.</b> Counters are grouped by window; once a window has ended, its whole group is
 * dropped by the next call after the clock passes the next sweep time (at most one sweep per second
 * of clock time, costing one pass over the live windows, not the buckets). At most {@code
 * maxBuckets} counters are held ({@value #DEFAULT_MAX_BUCKETS} by default; a counter takes about 110
 * bytes plus its id, so some 150 MB with 40-character ids): when a
 * call needs new counters beyond that, ended windows are swept at once, and if that frees nothing the
 * call fails with {@link IllegalStateException} (the caller's failure mode applies) while existing
 * buckets keep working. The cap is checked without a global lock, so concurrent callers may
 * overshoot it by the number of counters they create at the same moment.
 */
public final class MemoryRateLimitStore implements RateLimitStore {

  public static final int DEFAULT_MAX_BUCKETS = 1_000_000;
  static final int STRIPES = 64;
  private static final long SWEEP_EVERY_MILLIS = 1_000;

  /** Guarded by the stripe of its bucket and window; volatile so {@link #snapshot} reads without locking. */
  private static final class Counter {
    volatile long used;
    volatile long limit;
  }

  private final InstantSource clock;
  private final int maxBuckets;
  private final ConcurrentHashMap<Window, ConcurrentHashMap<String, Counter>> windows = new ConcurrentHashMap<>();
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
  private volatile boolean closed;

  public MemoryRateLimitStore(InstantSource clock) {
    this(clock, DEFAULT_MAX_BUCKETS);
  }

  /** @param maxBuckets counters held at most, {@code > 0} */
  public MemoryRateLimitStore(InstantSource clock, int maxBuckets) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxBuckets <= 0) {
      throw new IllegalArgumentException("maxBuckets must be positive, got " + maxBuckets);
    }
    this.maxBuckets = maxBuckets;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  @Override
  public CompletionStage<Admission> admit(List<Charge> charges) {
    try {
      return CompletableFuture.completedFuture(admitNow(charges));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Admission admitNow(List<Charge> charges) {
    checkOpen();
    for (Charge charge : charges) {
      if (charge.cost() < 0) {
        throw new IllegalArgumentException("an admission cost must not be negative, got " + charge.cost()
            + " for " + charge.bucket());
      }
    }
    if (charges.isEmpty()) {
      return new Admission(true, List.of());
    }
    sweepIfDue(clock.instant());
    int[] held = lock(charges);
    try {
      int n = charges.size();
      Counter[] counters = new Counter[n];
      boolean refused = false;
      int missing = 0;
      for (int i = 0; i < n; i++) {
        Charge charge = charges.get(i);
        counters[i] = find(charge);
        if (counters[i] == null) {
          missing++;
        }
        refused |= used(counters[i]) >= charge.limit();
      }
      List<BucketState> states = new ArrayList<>(n);
      if (refused) {
        for (int i = 0; i < n; i++) {
          Charge charge = charges.get(i);
          states.add(new BucketState(charge.bucket(), charge.limit(), used(counters[i]), charge.window()));
        }
        return new Admission(false, states);
      }
      reserve(missing);
      for (int i = 0; i < n; i++) {
        Charge charge = charges.get(i);
        Counter counter = counters[i] != null ? counters[i] : create(charge);
        counter.limit = charge.limit();
        counter.used = saturatedAdd(counter.used, charge.cost());
        states.add(new BucketState(charge.bucket(), charge.limit(), counter.used, charge.window()));
      }
      return new Admission(true, states);
    } finally {
      unlock(held);
    }
  }

  @Override
  public CompletionStage<Void> adjust(List<Charge> deltas) {
    try {
      checkOpen();
      Instant now = clock.instant();
      sweepIfDue(now);
      List<Charge> live = deltas.stream().filter(d -> !d.window().endedBy(now) && d.cost() != 0).toList();
      if (live.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      int[] held = lock(live);
      try {
        reserve((int) live.stream().filter(d -> d.cost() > 0 && find(d) == null).count());
        for (Charge delta : live) {
          Counter counter = find(delta);
          if (counter == null && delta.cost() > 0) {
            counter = create(delta);
          }
          if (counter != null) {
            counter.limit = delta.limit();
            counter.used = Math.max(0, saturatedAdd(counter.used, delta.cost()));
          }
        }
      } finally {
        unlock(held);
      }
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<List<BucketState>> snapshot() {
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    Instant now = clock.instant();
    List<BucketState> states = new ArrayList<>();
    windows.forEach((window, buckets) -> {
      if (!window.endedBy(now)) {
        buckets.forEach((bucket, counter) ->
            states.add(new BucketState(bucket, counter.limit, counter.used, window)));
      }
    });
    return CompletableFuture.completedFuture(states);
  }

  /** Counters held now, including those of ended windows not yet swept. */
  public long size() {
    long size = 0;
    for (ConcurrentHashMap<String, Counter> buckets : windows.values()) {
      size += buckets.mappingCount();
    }
    return size;
  }

  @Override
  public void close() {
    closed = true;
    windows.clear();
  }

  private Counter find(Charge charge) {
    ConcurrentHashMap<String, Counter> buckets = windows.get(charge.window());
    return buckets == null ? null : buckets.get(charge.bucket());
  }

  /** Called with the charge's stripe held, after {@link #reserve}. */
  private Counter create(Charge charge) {
    return windows.computeIfAbsent(charge.window(), w -> new ConcurrentHashMap<>())
        .computeIfAbsent(charge.bucket(), b -> new Counter());
  }

  private void reserve(int newCounters) {
    if (newCounters == 0 || size() + newCounters <= maxBuckets) {
      return;
    }
    sweep(clock.instant());
    if (size() + newCounters > maxBuckets) {
      throw new IllegalStateException("the in-memory rate-limit store holds " + maxBuckets
          + " buckets, its cap: new buckets are refused until their windows end");
    }
  }

  private void sweepIfDue(Instant now) {
    long millis = now.toEpochMilli();
    long due = nextSweep.get();
    if (millis >= due && nextSweep.compareAndSet(due, millis + SWEEP_EVERY_MILLIS)) {
      sweep(now);
    }
  }

  private void sweep(Instant now) {
    windows.keySet().removeIf(window -> window.endedBy(now));
  }

  private int[] lock(List<Charge> charges) {
    int[] indexes = new int[charges.size()];
    for (int i = 0; i < indexes.length; i++) {
      Charge charge = charges.get(i);
      int h = charge.bucket().hashCode() * 31 + charge.window().hashCode();
      indexes[i] = (h ^ (h >>> 16)) & (STRIPES - 1);
    }
    int[] held = Arrays.stream(indexes).sorted().distinct().toArray();
    for (int index : held) {
      stripes[index].lock();
    }
    return held;
  }

  private void unlock(int[] held) {
    for (int i = held.length - 1; i >= 0; i--) {
      stripes[held[i]].unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw closedException();
    }
  }

  private static IllegalStateException closedException() {
    return new IllegalStateException("the rate-limit store is closed");
  }

  private static long used(Counter counter) {
    return counter == null ? 0 : counter.used;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
  }
}
