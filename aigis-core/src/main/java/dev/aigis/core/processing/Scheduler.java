package dev.aigis.core.processing;

import java.time.Duration;

/** Timers for processor timeouts, injected so the data plane uses its event-loop timers and tests a manual clock. */
public interface Scheduler {

  Cancellable schedule(Duration delay, Runnable task);

  interface Cancellable {
    void cancel();
  }
}
