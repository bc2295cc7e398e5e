package dev.aigis.model.snapshot;

import dev.aigis.model.ConfigError;
import dev.aigis.model.Resource;
import java.util.List;
import java.util.Map;

/**
 * What per-resource compilation ({@link SnapshotCompiler#compilePerResource}) gives: a snapshot of
 * every resource that compiled, the errors of each one left out, keyed by {@link #identity}, and the
 * errors of the backendRefs removed from routes that stay ({@code unresolved}, by route identity).
 * The snapshot's {@code resources} are the ones kept, routes without their removed refs.
 */
public record PerResourceResult(ConfigSnapshot snapshot, Map<String, List<ConfigError>> rejected,
    Map<String, List<ConfigError>> unresolved) {

  public PerResourceResult {
    rejected = copy(rejected);
    unresolved = copy(unresolved);
  }

  /** Without removed backendRefs. */
  public PerResourceResult(ConfigSnapshot snapshot, Map<String, List<ConfigError>> rejected) {
    this(snapshot, rejected, Map.of());
  }

  private static Map<String, List<ConfigError>> copy(Map<String, List<ConfigError>> errors) {
    return Map.copyOf(errors.entrySet().stream()
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
