package dev.aigis.server.extproc;

import dev.aigis.core.processing.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Processor timeouts on a shared {@link ScheduledExecutorService}. The timer thread only hands
 * the timeout to the stream's serial executor (the chain does that hop), so one thread serves
 * every stream.
 */
record ExecutorScheduler(ScheduledExecutorService timers) implements Scheduler {

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    var future = timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }
}
