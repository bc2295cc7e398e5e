package dev.aigis.app;

import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.server.GatewayServer;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration files and applies a valid change; an invalid one is refused with its
 * errors logged and the previous configuration keeps serving. Watches the parent directories, not
 * the files, so editors that replace files (write to a temp file, rename) and Kubernetes ConfigMap
 * symlink swaps are seen. Changes are debounced so a burst of writes reloads once.
 */
public final class ConfigWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
  private static final long DEBOUNCE_MILLIS = 200;

  private final List<Path> files;
  private final ReloadTarget target;
  private final WatchService watcher;
  private final Thread thread;
  private volatile boolean running = true;

  /** What a reload applies to; the server in production, a recorder in tests. */
  public interface ReloadTarget {
    void apply(ConfigSnapshot snapshot) throws ConfigException;

    /** Called when a change was refused; the previous configuration keeps serving. */
    default void refused(List<ConfigError> errors) {}
  }

  private ConfigWatcher(List<Path> files, ReloadTarget target) throws IOException {
    this.files = files.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.target = target;
    this.watcher = FileSystems.getDefault().newWatchService();
    Set<Path> dirs = new HashSet<>();
    for (Path file : this.files) {
      dirs.add(file.getParent());
    }
    for (Path dir : dirs) {
      dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    }
    this.thread = Thread.ofPlatform().daemon().name("aigis-config-watcher").unstarted(this::loop);
  }

  static ConfigWatcher start(List<Path> files, GatewayServer server) {
    return start(files, server::apply);
  }

  public static ConfigWatcher start(List<Path> files, ReloadTarget target) {
    try {
      var watcher = new ConfigWatcher(files, target);
      watcher.thread.start();
      return watcher;
    } catch (IOException e) {
      throw new IllegalStateException("cannot watch configuration files: " + e.getMessage(), e);
    }
  }

  private void loop() {
    while (running) {
      WatchKey key;
      try {
        key = watcher.take();
      } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
        return;
      }
      boolean relevant = key.pollEvents().stream().anyMatch(event -> isWatched((Path) key.watchable(), event.context()));
      key.reset();
      if (!relevant) {
        continue;
      }
      drainFor(DEBOUNCE_MILLIS);
      reload();
    }
  }

  private boolean isWatched(Path dir, Object context) {
    if (!(context instanceof Path name)) {
      return true; // overflow: re-read to be safe
    }
    Path changed = dir.resolve(name).normalize();
    // ConfigMap volumes swap a "..data" symlink; any change in a watched directory that is not a
    // plain unrelated file is worth a re-read.
    return files.contains(changed) || name.toString().startsWith("..");
  }

  private void drainFor(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (running) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        WatchKey more = watcher.poll(left, TimeUnit.NANOSECONDS);
        if (more != null) {
          more.pollEvents();
          more.reset();
        }
      } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
        return;
      }
    }
  }

  private void reload() {
    for (Path file : files) {
      if (!Files.exists(file)) {
        LOG.warn("configuration change refused: {} does not exist; previous configuration keeps serving", file);
        target.refused(List.of(new ConfigError(file.toString(), 0, null, null, "file does not exist")));
        return;
      }
    }
    try {
      ConfigSnapshot snapshot = ConfigPipeline.loadAndCompile(files, System::getenv);
      target.apply(snapshot);
      LOG.info("configuration reloaded: {} resources", snapshot.resources().size());
    } catch (ConfigException e) {
      var message = new StringBuilder("configuration change refused; previous configuration keeps serving:");
      for (ConfigError error : e.errors()) {
        message.append("\n  ").append(error.format());
      }
      LOG.warn(message.toString());
      target.refused(e.errors());
    } catch (RuntimeException e) {
      LOG.warn("configuration change refused; previous configuration keeps serving: {}", e.getMessage());
      target.refused(List.of(new ConfigError(files.getFirst().toString(), 0, null, null, e.getMessage())));
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      watcher.close();
    } catch (IOException e) {
      LOG.debug("closing watcher: {}", e.getMessage());
    }
  }
}
