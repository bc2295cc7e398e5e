package dev.aigis.testkit;

import java.time.Duration;

/**
 * Where {@link FakeOpenAiUpstream} takes the time and its timers from (after Caffeine's {@code
 * Ticker}/{@code Scheduler}): {@link #system()} paces answers in real time, for benchmarks and
 * end-to-end tests; a {@link ManualScheduler} lets a test move time itself, so scripted latency,
 * time to first token and tokens per second are checked without waiting.
 *
 * <p>Threading: {@link #schedule} is called on the event loop serving the request, and the task
 * must run on that same event loop (the fake's per-request state is confined to it).
 */
public interface Scheduler {

  /** A monotonic time in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /**
   * Runs {@code task} on the calling event loop once {@code delay} has passed.
   *
   * @param delay positive
   * @return cancels the task if it has not run yet
   */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /** Real time: {@link System#nanoTime()} and Vert.x timers (millisecond resolution, at least 1 ms). */
  static Scheduler system() {
    return SystemScheduler.INSTANCE;
  }
}
