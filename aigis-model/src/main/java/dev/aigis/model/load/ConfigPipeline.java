package dev.aigis.model.load;

import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.snapshot.CompileResult;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.model.snapshot.SnapshotCompiler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Load then compile, for callers that want a snapshot or an exception, reporting every problem
 * found at once: when documents failed to load, the rest is still compiled, so a reference error
 * (an unknown backend, a bad weight) is reported with the field errors. References to the
 * documents left out are not reported as missing (their own errors say why). Only when a left-out
 * document cannot be named (a YAML syntax error, an unreadable file) is compilation skipped, as it
 * would then report misleading "not found" errors.
 */
public final class ConfigPipeline {

  private ConfigPipeline() {}

  public static ConfigSnapshot loadAndCompile(List<Path> files, Function<String, String> environment)
      throws ConfigException {
    return compile(ConfigLoader.load(files), environment);
  }

  /** The same for one in-memory file, mainly for tests. */
  public static ConfigSnapshot compileText(String fileName, String yaml, Function<String, String> environment)
      throws ConfigException {
    return compile(ConfigLoader.loadText(fileName, yaml), environment);
  }

  private static ConfigSnapshot compile(ConfigLoader.LoadResult loaded, Function<String, String> environment)
      throws ConfigException {
    if (!loaded.ok() && !loaded.unloadedKnown()) {
      throw new ConfigException(loaded.errors());
    }
    CompileResult compiled = new SnapshotCompiler(environment).compile(loaded.resources(), loaded.unloaded());
    if (!loaded.ok()) {
      List<ConfigError> all = new ArrayList<>(loaded.errors());
      if (compiled instanceof CompileResult.Failure(var errors)) {
        all.addAll(errors);
      }
      throw new ConfigException(all);
    }
    return switch (compiled) {
      case CompileResult.Success(ConfigSnapshot snapshot) -> snapshot;
      case CompileResult.Failure(var errors) -> throw new ConfigException(errors);
    };
  }
}
