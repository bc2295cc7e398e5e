package dev.aigis.model.load;

import dev.aigis.model.ConfigError;
import dev.aigis.model.SourceRef;
import java.util.ArrayList;
import java.util.List;

/** Collects the errors of one document, each located by its field path. Not thread-safe; one per document. */
final class Issues {

  private final SourceRef source;
  private final List<ConfigError> errors = new ArrayList<>();
  private String resource;

  Issues(SourceRef source) {
    this.source = source;
  }

  SourceRef source() {
    return source;
  }

  /** From now on errors name this resource ({@code Kind/name}). */
  void resource(String displayName) {
    this.resource = displayName;
  }

  void add(String path, String message) {
    errors.add(new ConfigError(source.file(), source.lineOf(path), resource, path, message));
  }

  /** For problems whose line is known directly, such as a key repeated in its mapping. */
  void add(String path, int line, String message) {
    errors.add(new ConfigError(source.file(), line, resource, path, message));
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  List<ConfigError> errors() {
    return errors;
  }
}
