package dev.aigis.core.exchange;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link Workers} on a fixed pool of daemon threads with a bounded queue. */
public final class BoundedWorkers implements Workers, AutoCloseable {

  private final ThreadPoolExecutor pool;

  /**
   * @param threads worker threads (CPU-bound work: about one per core)
   * @param queue tasks that may wait; one more is refused with {@link Saturated}
   */
  public BoundedWorkers(int threads, int queue) {
    AtomicInteger count = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
      Thread t = new Thread(r, "aigis-worker-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
  }

  @Override
  public <T> CompletionStage<T> submit(Callable<T> task) {
    var result = new CompletableFuture<T>();
    try {
      pool.execute(() -> {
        try {
          result.complete(task.call());
        } catch (Throwable e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new Saturated("worker pool saturated (" + pool.getQueue().size() + " queued)"));
    }
    return result;
  }

  /** Tasks waiting for a thread, for metrics. */
  public int queued() {
    return pool.getQueue().size();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
