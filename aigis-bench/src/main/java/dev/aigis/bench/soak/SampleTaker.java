package dev.aigis.bench.soak;

import java.io.IOException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Takes one {@link Sample}: the gateway's resources from the {@link GatewayProbe}, the driver's
 * counts so far (warm-up included), and the plain-request latency since the previous sample. Called from one thread
 * (the harness's main thread) while the driver runs on its own.
 */
final class SampleTaker {

  private final GatewayProbe probe;
  private final SoakDriver.Tallies tallies;
  private final Recorder plainLatency;
  private final long startNanos;
  private Histogram interval;

  SampleTaker(GatewayProbe probe, SoakDriver.Tallies tallies, Recorder plainLatency, long startNanos) {
    this.probe = probe;
    this.tallies = tallies;
    this.plainLatency = plainLatency;
    this.startNanos = startNanos;
  }

  Sample take(boolean underLoad) throws IOException, InterruptedException {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long requests = tallies.total();
    long unexplained = tallies.unexplained();
    interval = plainLatency.getIntervalHistogram(interval);
    long p50 = interval.getTotalCount() == 0 ? -1 : interval.getValueAtPercentile(50);
    long p99 = interval.getTotalCount() == 0 ? -1 : interval.getValueAtPercentile(99);
    ResourceUsage usage = probe.sample();
    return new Sample(seconds, usage, requests, unexplained, p50, p99, underLoad);
  }
}
