package dev.aigis.model;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration could not be loaded or compiled; {@link #errors()} holds every problem found. */
public final class ConfigException extends Exception {

  private final List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(errors.stream().map(ConfigError::format).collect(Collectors.joining("\n")));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
