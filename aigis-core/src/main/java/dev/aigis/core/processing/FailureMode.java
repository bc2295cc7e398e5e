package dev.aigis.core.processing;

/**
 * What a processor's error or timeout does to the exchange. {@code FailClosed} (the default)
 * rejects it: 500 for an error, 504 for a timeout, 413 for a body over the buffer limit.
 * {@code FailOpen} skips the processor and records that it was skipped.
 */
public enum FailureMode { FailClosed, FailOpen }
