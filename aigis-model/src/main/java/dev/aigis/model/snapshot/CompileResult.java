package dev.aigis.model.snapshot;

import dev.aigis.model.ConfigError;
import java.util.List;

/** The outcome of compiling resources: a snapshot, or every error found (never both, never an empty list). */
public sealed interface CompileResult {

  record Success(ConfigSnapshot snapshot) implements CompileResult {}

  record Failure(List<ConfigError> errors) implements CompileResult {
    public Failure {
      errors = List.copyOf(errors);
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("a Failure needs at least one error");
      }
    }
  }
}
