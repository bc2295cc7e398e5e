package dev.aigis.model.processing;

import java.time.Duration;
import java.util.Objects;

/**
 * One processor of a PayloadProcessor: the settings every type shares and the type's own
 * {@link ProcessorConfig}, whose record says which type it is ({@link ProcessorTypes#of}).
 * {@code timeout} is nullable (no timeout beyond the request's own).
 */
public record ProcessorSpec(String name, FailureModeSpec failureMode, Duration timeout, ProcessorConfig config) {

  public enum FailureModeSpec { FailClosed, FailOpen }

  public ProcessorSpec {
    failureMode = failureMode == null ? FailureModeSpec.FailClosed : failureMode;
    Objects.requireNonNull(config, "config");
  }
}
