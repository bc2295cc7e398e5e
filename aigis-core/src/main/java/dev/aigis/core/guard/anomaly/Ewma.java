package dev.aigis.core.guard.anomaly;

/**
 * An exponentially weighted mean and variance (West's incremental form). The first
 * {@code 1/smoothing} observations are averaged plainly (weight {@code 1/n}), so the baseline is
 * the ordinary mean and population variance of what it has seen until the moving average takes
 * over. Not thread-safe: its owner synchronises.
 */
final class Ewma {

  private final double smoothing;
  private long count;
  private double mean;
  private double variance;

  Ewma(double smoothing) {
    this.smoothing = smoothing;
  }

  void add(double x) {
    count++;
    double weight = Math.max(smoothing, 1.0 / count);
    double diff = x - mean;
    double step = weight * diff;
    mean += step;
    variance = (1 - weight) * (variance + diff * step);
  }

  long count() {
    return count;
  }

  double mean() {
    return mean;
  }

  double variance() {
    return variance;
  }

  /** Standard deviations {@code x} lies above the mean, dividing by at least {@code minStdDev}. */
  double z(double x, double minStdDev) {
    return (x - mean) / Math.max(Math.sqrt(variance), minStdDev);
  }
}
