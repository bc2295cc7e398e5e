package dev.aigis.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A private {@code redis-server} on a free port, for tests that stop, restart or stall Redis (never
 * the shared one of {@link LocalRedis}). No persistence ({@code --save "" --appendonly no}), so a
 * restart comes back empty, as after a crash of a cache-only Redis.
 *
 * <p>{@link #start} and {@link #restart} return once the server logs that it accepts connections (read
 * from its output, not polled), or fail after {@value #START_SECONDS} s with its last log lines.
 * {@link #stop} kills the process (SIGKILL, like a crash or an OOM kill) and waits for it to exit.
 */
public final class RedisServerProcess implements AutoCloseable {

  private static final int START_SECONDS = 15;

  private final String executable;
  private final int port;
  private final List<String> extraArgs;
  private final Path dir;
  private final Deque<String> log = new ArrayDeque<>();
  private Process process;

  private RedisServerProcess(String executable, int port, List<String> extraArgs) throws IOException {
    this.executable = executable;
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
    this.dir = Files.createTempDirectory("aigis-redis-");
  }

  /** The {@code redis-server} to run ({@code AIGIS_REDIS_SERVER}, else the first on the PATH), or null. */
  public static String executable() {
    String configured = System.getenv("AIGIS_REDIS_SERVER");
    if (configured != null && !configured.isBlank()) {
      return Files.isExecutable(Path.of(configured)) ? configured : null;
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String entry : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(entry, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /**
   * Starts a server on a free port of 127.0.0.1.
   *
   * @param extraArgs more {@code redis-server} arguments, e.g. {@code "--requirepass", "secret"}
   */
  public static RedisServerProcess start(String... extraArgs) {
    String executable = executable();
    if (executable == null) {
      throw new IllegalStateException("redis-server is not on the PATH (or AIGIS_REDIS_SERVER)");
    }
    try {
      var server = new RedisServerProcess(executable, freePort(), List.of(extraArgs));
      server.launch();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public URI uri() {
    return URI.create("redis://127.0.0.1:" + port);
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /** Kills the server (SIGKILL) and waits until it has exited; its port is free again. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(START_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server on port " + port + " did not exit after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    process = null;
  }

  /** Starts the server again on the same port, empty. */
  public synchronized void restart() {
    stop();
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }

  private synchronized void launch() throws IOException {
    List<String> command = new ArrayList<>(List.of(executable,
        "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(),
        "--daemonize", "no", "--logfile", ""));
    command.addAll(extraArgs);
    Process started = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread.ofVirtual().name("redis-server-" + port + "-log").start(() -> drain(started, ready));
    try {
      ready.get(START_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      started.destroyForcibly();
      throw new IllegalStateException("redis-server did not start on port " + port + "; its log:\n" + lastLog(), e);
    } catch (InterruptedException e) {
      started.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    process = started;
  }

  /** Reads the server's output until it ends: completes {@code ready} on the line saying it accepts connections. */
  private void drain(Process started, CompletableFuture<Void> ready) {
    try (var reader = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (log) {
          log.addLast(line);
          if (log.size() > 50) {
            log.removeFirst();
          }
        }
        if (line.contains("Ready to accept connections")) {
          ready.complete(null);
        }
      }
    } catch (IOException e) {
      // the process is gone; fall through
    }
    ready.completeExceptionally(new IllegalStateException("redis-server exited"));
  }

  private String lastLog() {
    synchronized (log) {
      return String.join("\n", log);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
