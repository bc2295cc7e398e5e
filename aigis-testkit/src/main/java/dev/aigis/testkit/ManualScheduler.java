package dev.aigis.testkit;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} whose time moves only when a test calls {@link #advance}, so a test of
 * pacing asserts on the delays the fake asked for and on what it sent once they passed, never on
 * measured durations.
 *
 * <p>Typical use: start the fake with {@code FakeOptions.defaults().withScheduler(scheduler)},
 * send a request, take the delay the fake scheduled with {@link #awaitDelay} (this waits for the
 * request to reach that point, not for time to pass), then {@link #advance} by it to let the
 * fake go on.
 *
 * <p>Tasks due by an {@code advance} are handed, in due order, to the event loop that scheduled
 * them ({@link Context#runOnContext}); {@code advance} returns without waiting for them to run, and
 * a task they schedule waits for the next {@code advance}. Thread-safe.
 */
public final class ManualScheduler implements Scheduler {

  private record Task(long due, long sequence, Context context, Runnable run) {}

  private long now;
  private long sequence;
  private final PriorityQueue<Task> pending = new PriorityQueue<>((a, b) -> a.due != b.due
      ? Long.compare(a.due, b.due) : Long.compare(a.sequence, b.sequence));
  private final List<Duration> delays = new ArrayList<>();
  private final ArrayDeque<Duration> untaken = new ArrayDeque<>();

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("delay must be positive, got " + delay);
    }
    var scheduled = new Task(now + delay.toNanos(), sequence++, Vertx.currentContext(), task);
    pending.add(scheduled);
    delays.add(delay);
    untaken.add(delay);
    notifyAll();
    return () -> {
      synchronized (ManualScheduler.this) {
        pending.remove(scheduled);
      }
    };
  }

  /** Moves time forward and hands every task now due to its event loop. */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("time only moves forward, got " + by);
    }
    List<Task> due = new ArrayList<>();
    synchronized (this) {
      now += by.toNanos();
      while (!pending.isEmpty() && pending.peek().due <= now) {
        due.add(pending.poll());
      }
    }
    for (Task task : due) {
      if (task.context != null) {
        task.context.runOnContext(v -> task.run.run());
      } else {
        task.run.run();
      }
    }
  }

  /**
   * Takes the oldest delay asked for and not yet taken by this method, waiting up to {@code
   * within} for the fake to ask for one (a bound for a broken test, not a pause); {@code null}
   * when none came.
   */
  public synchronized Duration awaitDelay(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (untaken.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return untaken.poll();
  }

  /** Every delay asked for so far, oldest first. */
  public synchronized List<Duration> delays() {
    return List.copyOf(delays);
  }

  /** Tasks scheduled and neither run nor cancelled. */
  public synchronized int pending() {
    return pending.size();
  }
}
