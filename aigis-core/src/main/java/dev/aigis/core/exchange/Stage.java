package dev.aigis.core.exchange;

import dev.aigis.core.processing.ProcessingChain;

/**
 * One entry of an exchange's stage list: a chain of processors. Built-in stages (the model-header
 * step, route filters) are the gateway's own and are left out of per-processor metrics and the
 * debug header, which report what users configured. {@code unresolved} names an ExtensionRef that
 * resolved to nothing; validation refuses such configurations, so reaching one is a 500, never a
 * silently skipped filter.
 */
record Stage(ProcessingChain chain, boolean builtin, String unresolved) {

  static Stage configured(ProcessingChain chain) {
    return new Stage(chain, false, null);
  }

  static Stage builtin(ProcessingChain chain) {
    return new Stage(chain, true, null);
  }

  static Stage unresolved(String reference) {
    return new Stage(null, false, reference);
  }
}
