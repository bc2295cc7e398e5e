package dev.aigis.testkit;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;

/** Real time and Vert.x timers on the caller's context. Stateless. */
final class SystemScheduler implements Scheduler {

  static final SystemScheduler INSTANCE = new SystemScheduler();

  private SystemScheduler() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("schedule must be called on a Vert.x context");
    }
    Vertx vertx = context.owner();
    long id = vertx.setTimer(Math.max(1, delay.toMillis()), t -> task.run());
    return () -> vertx.cancelTimer(id);
  }

  @Override
  public String toString() {
    return "Scheduler.system()";
  }
}
