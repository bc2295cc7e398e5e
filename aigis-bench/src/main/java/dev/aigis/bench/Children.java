package dev.aigis.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The child processes of one harness run. Every process started here is stopped by {@link
 * #close()}, which the shutdown hook also calls, so an interrupted or failed run leaves nothing
 * behind: a polite stop (SIGTERM) first, then a kill after five seconds, descendants included.
 */
public final class Children implements AutoCloseable {

  private final List<Process> processes = new ArrayList<>();
  private final Path logDir;

  public Children(Path logDir) {
    this.logDir = logDir;
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "bench-cleanup"));
  }

  /** Starts {@code command} with stdout and stderr going to {@code <logDir>/<name>.log}. */
  public synchronized Process start(String name, List<String> command) throws IOException {
    var builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(logDir.resolve(name + ".log").toFile());
    Process p = builder.start();
    processes.add(p);
    return p;
  }

  /** Starts {@code command}, stderr to the log, and waits for a stdout line matching {@code ready}. */
  public synchronized Process startAndAwaitLine(String name, List<String> command, Predicate<String> ready,
      Duration timeout, StringBuilder readyLine) throws IOException, TimeoutException {
    var builder = new ProcessBuilder(command)
        .redirectError(logDir.resolve(name + ".log").toFile());
    Process p = builder.start();
    processes.add(p);
    var line = new CompletableFuture<String>();
    Thread reader = new Thread(() -> {
      try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String l;
        while ((l = in.readLine()) != null) {
          if (!line.isDone() && ready.test(l)) {
            line.complete(l);
          }
        }
      } catch (IOException ignored) {
        // process ended
      }
      line.completeExceptionally(new IOException(name + " exited before it was ready"));
    }, name + "-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      readyLine.append(line.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
      return p;
    } catch (TimeoutException e) {
      throw new TimeoutException(name + " not ready within " + timeout + "; see " + log(name));
    } catch (Exception e) {
      throw new IOException(name + " failed to start; see " + log(name), e);
    }
  }

  public Path log(String name) {
    return logDir.resolve(name + ".log");
  }

  public String tail(String name, int lines) {
    try {
      List<String> all = Files.readAllLines(log(name));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops one process (and its descendants) now. */
  public void stop(Process p) {
    List<ProcessHandle> descendants = p.descendants().toList();
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle d : descendants) {
      if (d.isAlive()) {
        d.destroyForcibly();
      }
    }
    synchronized (this) {
      processes.remove(p);
    }
  }

  @Override
  public void close() {
    List<Process> all;
    synchronized (this) {
      all = new ArrayList<>(processes);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      stop(all.get(i));
    }
  }
}
