package dev.aigis.model.processing;

import java.time.Duration;

/**
 * One processor of a PayloadProcessor. Exactly one of the type-specific blocks is set, matching
 * {@code type}. {@code timeout} is nullable (no timeout beyond the request's own).
 */
public record ProcessorSpec(
    String name,
    ProcessorType type,
    FailureModeSpec failureMode,
    Duration timeout,
    InProcessSpec inProcess,
    ExtProcessSpec extProcess) {

  public enum ProcessorType { InProcess, ExtProcess }

  public enum FailureModeSpec { FailClosed, FailOpen }

  public ProcessorSpec {
    failureMode = failureMode == null ? FailureModeSpec.FailClosed : failureMode;
  }
}
