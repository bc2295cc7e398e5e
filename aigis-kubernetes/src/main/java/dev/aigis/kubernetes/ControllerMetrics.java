package dev.aigis.kubernetes;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the controller counts, read by the application's metrics registry (this module has no metrics
 * library of its own): reconciles run, reconciles and watches that failed, statuses written, and the
 * lag from the first unhandled change to the end of the reconcile that handled it.
 */
public final class ControllerMetrics {

  final LongAdder reconciles = new LongAdder();
  final LongAdder reconcileErrors = new LongAdder();
  final LongAdder statusWrites = new LongAdder();
  final AtomicLong lagNanos = new AtomicLong();

  public long reconciles() {
    return reconciles.sum();
  }

  public long reconcileErrors() {
    return reconcileErrors.sum();
  }

  public long statusWrites() {
    return statusWrites.sum();
  }

  public double lagSeconds() {
    return lagNanos.get() / 1e9;
  }
}
