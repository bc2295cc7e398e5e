package dev.aigis.model.load;

import dev.aigis.model.ConfigException;
import dev.aigis.model.snapshot.CompileResult;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.model.snapshot.SnapshotCompiler;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Load then compile, for callers that want a snapshot or an exception. Compilation is skipped when
 * loading failed: documents with errors are left out, so compiling the rest would add misleading
 * "not found" errors for everything that referred to them.
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
    if (!loaded.ok()) {
      throw new ConfigException(loaded.errors());
    }
    return switch (new SnapshotCompiler(environment).compile(loaded.resources())) {
      case CompileResult.Success(ConfigSnapshot snapshot) -> snapshot;
      case CompileResult.Failure(var errors) -> throw new ConfigException(errors);
    };
  }
}
