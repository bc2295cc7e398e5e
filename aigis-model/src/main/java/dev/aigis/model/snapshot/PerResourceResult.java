package dev.aigis.model.snapshot;

import dev.aigis.model.ConfigError;
import dev.aigis.model.Resource;
import java.util.List;
import java.util.Map;

/**
 * What per-resource compilation ({@link SnapshotCompiler#compilePerResource}) gives: a snapshot of
 * every resource that compiled, and the errors of each one left out, keyed by {@link #identity}.
 * The snapshot's {@code resources} are the ones kept.
 */
public record PerResourceResult(ConfigSnapshot snapshot, Map<String, List<ConfigError>> rejected) {

  public PerResourceResult {
    rejected = Map.copyOf(rejected.entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue()))));
  }

  /** {@code Kind/namespace/name}: how a resource is named here and in the loader's {@code unloaded}. */
  public static String identity(Resource resource) {
    return resource.kind() + "/" + resource.metadata().qualifiedName();
  }

  /** The errors that kept {@code resource} out, or an empty list when it was accepted. */
  public List<ConfigError> errorsOf(Resource resource) {
    return rejected.getOrDefault(identity(resource), List.of());
  }
}
