package dev.aigis.model.snapshot;

import dev.aigis.model.ConfigError;
import dev.aigis.model.Resource;
import java.util.ArrayList;
import java.util.List;

/** Collects compile errors, locating each by the resource's recorded field lines. */
final class Problems {

  private final List<ConfigError> errors = new ArrayList<>();

  void at(Resource resource, String path, String message) {
    errors.add(ConfigError.at(resource, path, message));
  }

  void add(ConfigError error) {
    errors.add(error);
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  List<ConfigError> errors() {
    return errors;
  }
}
