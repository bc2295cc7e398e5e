package dev.aigis.model.snapshot;

import dev.aigis.model.ConfigError;
import dev.aigis.model.Resource;
import java.util.ArrayList;
import java.util.List;

/** Collects compile errors, locating each by the resource's recorded field lines. */
final class Problems {

  private final List<ConfigError> errors = new ArrayList<>();
  /** The resource each error of {@link #errors} is in, or null for one in no resource; per-resource compilation leaves those out. */
  private final List<Resource> owners = new ArrayList<>();
  private final java.util.Set<String> unloaded;

  Problems() {
    this(java.util.Set.of());
  }

  /** @param unloaded {@code Kind/namespace/name} of resources that failed to load, their errors already reported */
  Problems(java.util.Set<String> unloaded) {
    this.unloaded = unloaded;
  }

  void at(Resource resource, String path, String message) {
    errors.add(ConfigError.at(resource, path, message));
    owners.add(resource);
  }

  /**
   * A reference from {@code resource} to {@code kind namespace/name} that nothing answers; not
   * reported when that resource is in the configuration but failed to load, since its own errors
   * say why and a "not found" would mislead.
   */
  void notFound(Resource resource, String path, String kind, String namespace, String name) {
    if (!unloaded.contains(kind + "/" + namespace + "/" + name)) {
      at(resource, path, kind + " " + namespace + "/" + name + " not found");
    }
  }

  void add(ConfigError error) {
    errors.add(error);
    owners.add(null);
  }

  /** The resource {@code errors().get(i)} is in, or null when it is in none. */
  Resource owner(int i) {
    return owners.get(i);
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  List<ConfigError> errors() {
    return errors;
  }
}
