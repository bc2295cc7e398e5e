package dev.aigis.core.processing;

import java.time.Duration;

/** A processor with the settings its PayloadProcessor entry gives it. {@code timeout} is nullable. */
public record ConfiguredProcessor(String name, FailureMode failureMode, Duration timeout, Processor processor) {}
