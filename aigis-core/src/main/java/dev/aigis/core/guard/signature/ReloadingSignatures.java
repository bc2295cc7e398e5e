package dev.aigis.core.guard.signature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The current signature set: the defaults merged with user rule files (later files override
 * earlier ones by rule id, see {@link SignatureSet#merge}), re-read when a file changes.
 *
 * <p>{@link #refresh()} re-reads only files whose modification time or size changed. A file that
 * no longer parses (or has gone) keeps its last good rules and its error is exposed by
 * {@link #lastError()} until it is fixed, so a bad edit never switches the guard off. The caller
 * schedules {@code refresh()} (every few seconds) off the event loop; {@link #get()} is a volatile
 * read and safe from any thread.
 */
public final class ReloadingSignatures implements Supplier<SignatureSet> {

  private final SignatureSet defaults;
  private final List<Watched> files;
  private final InstantSource clock;
  private volatile SignatureSet current;
  private volatile Instant loadedAt;
  private volatile RuleFileException lastError;
  private volatile Instant lastErrorAt;

  private ReloadingSignatures(SignatureSet defaults, List<Watched> files, InstantSource clock) {
    this.defaults = defaults;
    this.files = files;
    this.clock = clock;
  }

  /**
   * Loads the defaults and the files, strictly: at start-up a broken file is a configuration error
   * and is thrown, rather than silently running without it.
   */
  public static ReloadingSignatures open(SignatureSet defaults, List<Path> files, InstantSource clock)
      throws RuleFileException {
    List<Watched> watched = new ArrayList<>();
    for (Path file : files) {
      Stamp stamp = Stamp.of(file);
      watched.add(new Watched(file, stamp, SignatureSet.load(file)));
    }
    ReloadingSignatures reloading = new ReloadingSignatures(defaults, List.copyOf(watched), clock);
    reloading.remerge();
    return reloading;
  }

  /** The merged set now in force. */
  @Override
  public SignatureSet get() {
    return current;
  }

  /** When the set now in force was built. */
  public Instant loadedAt() {
    return loadedAt;
  }

  /**
   * The first error among files that are currently broken or missing, or empty when every file
   * last loaded cleanly. The message names file, line, rule and field, never scanned text.
   */
  public Optional<RuleFileException> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** When {@link #lastError()} was first seen, or empty. */
  public Optional<Instant> lastErrorAt() {
    return Optional.ofNullable(lastErrorAt);
  }

  /**
   * Re-reads changed files and swaps in the new merged set when any file loaded anew.
   *
   * @return whether the set in force changed
   */
  public synchronized boolean refresh() {
    boolean changed = false;
    for (Watched file : files) {
      Stamp stamp = Stamp.of(file.path);
      if (stamp.equals(file.stamp)) {
        continue;
      }
      file.stamp = stamp;
      try {
        if (stamp.missing()) {
          throw new RuleFileException(file.path.toString(), 0, null, null, "file not found; keeping its last rules");
        }
        file.set = SignatureSet.load(file.path);
        file.error = null;
        changed = true;
      } catch (RuleFileException e) {
        if (file.error == null) {
          file.errorAt = clock.instant();
        }
        file.error = e;
      }
    }
    if (changed) {
      remerge();
    }
    updateError();
    return changed;
  }

  private void remerge() {
    List<SignatureSet> sets = new ArrayList<>(files.size() + 1);
    sets.add(defaults);
    for (Watched file : files) {
      sets.add(file.set);
    }
    current = SignatureSet.merge(sets);
    loadedAt = clock.instant();
  }

  private void updateError() {
    for (Watched file : files) {
      if (file.error != null) {
        lastError = file.error;
        lastErrorAt = file.errorAt;
        return;
      }
    }
    lastError = null;
    lastErrorAt = null;
  }

  /** Guarded by the {@link #refresh()} lock after construction. */
  private static final class Watched {
    final Path path;
    Stamp stamp;
    SignatureSet set;
    RuleFileException error;
    Instant errorAt;

    Watched(Path path, Stamp stamp, SignatureSet set) {
      this.path = path;
      this.stamp = stamp;
      this.set = set;
    }
  }

  /** What "changed" means: modification time or size; {@code null} time when the file is gone. */
  private record Stamp(FileTime modified, long size) {
    static Stamp of(Path file) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(attributes.lastModifiedTime(), attributes.size());
      } catch (NoSuchFileException e) {
        return new Stamp(null, -1);
      } catch (IOException e) {
        return new Stamp(null, -2);
      }
    }

    boolean missing() {
      return modified == null;
    }
  }
}
