package dev.aigis.server.extproc;

import dev.aigis.core.processing.Scheduler;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler for tests across threads: every timer the code under test sets is queued, and the
 * test fires it when it chooses, so nothing waits for real time to pass.
 */
final class QueuedScheduler implements Scheduler {

  /** A timer that was set; {@link #fire} runs its task unless it was cancelled. */
  record Timer(Duration delay, Runnable task, boolean[] cancelled) {
    void fire() {
      if (!cancelled[0]) {
        task.run();
      }
    }
  }

  private final BlockingQueue<Timer> timers = new LinkedBlockingQueue<>();

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    boolean[] cancelled = new boolean[1];
    timers.add(new Timer(delay, task, cancelled));
    return () -> cancelled[0] = true;
  }

  /** The next timer set, waiting for the code under test to set it (it runs on another thread). */
  Timer next() throws InterruptedException {
    Timer timer = timers.poll(5, TimeUnit.SECONDS);
    if (timer == null) {
      throw new AssertionError("no timer was set within 5 s");
    }
    return timer;
  }
}
