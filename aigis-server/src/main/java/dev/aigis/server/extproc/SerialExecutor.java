package dev.aigis.server.extproc;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs one stream's tasks one at a time, in submission order, on a shared pool: the "event loop"
 * of a gRPC stream. gRPC callbacks, processor completions and timeouts all come through here, so
 * the stream's state and its {@link dev.aigis.core.processing.ChainExchange} are touched by one
 * thread at a time (with happens-before between tasks) and need no locks of their own.
 */
final class SerialExecutor implements Executor {

  private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

  private final Executor pool;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException e) {
      drain(); // the server is stopping: run the stream's last tasks (closing its exchange) here
    }
  }

  private void drain() {
    while (true) {
      Runnable task;
      synchronized (tasks) {
        task = tasks.poll();
        if (task == null) {
          running = false;
          return;
        }
      }
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.log(System.Logger.Level.ERROR, "ext_proc stream task failed", e);
      }
    }
  }
}
