package dev.aigis.core.processing;

import dev.aigis.core.exchange.Workers;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A worker pool that runs nothing until told to, so tests decide when off-loop work happens. */
public final class ManualWorkers implements Workers {

  private final Deque<Runnable> tasks = new ArrayDeque<>();
  private final int capacity;

  public ManualWorkers(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public <T> CompletionStage<T> submit(Callable<T> task) {
    var result = new CompletableFuture<T>();
    if (tasks.size() >= capacity) {
      result.completeExceptionally(new Saturated("worker pool saturated (" + tasks.size() + " queued)"));
      return result;
    }
    tasks.add(() -> {
      try {
        result.complete(task.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  public int queued() {
    return tasks.size();
  }

  /** Runs every queued task on the calling thread. */
  public void runAll() {
    while (!tasks.isEmpty()) {
      tasks.poll().run();
    }
  }
}
