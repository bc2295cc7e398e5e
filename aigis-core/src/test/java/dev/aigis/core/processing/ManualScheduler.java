package dev.aigis.core.processing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A scheduler on a manual clock: tasks run when {@link #advance} passes their deadline. */
public final class ManualScheduler implements Scheduler {

  private record Timer(long deadline, Runnable task, boolean[] cancelled) {}

  private final List<Timer> timers = new ArrayList<>();
  private long now;

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    boolean[] cancelled = new boolean[1];
    timers.add(new Timer(now + delay.toNanos(), task, cancelled));
    return () -> cancelled[0] = true;
  }

  public void advance(Duration by) {
    now += by.toNanos();
    List<Timer> due = timers.stream().filter(t -> t.deadline() <= now).toList();
    timers.removeAll(due);
    due.stream().filter(t -> !t.cancelled()[0]).forEach(t -> t.task().run());
  }

  public long pending() {
    return timers.stream().filter(t -> !t.cancelled()[0]).count();
  }
}
