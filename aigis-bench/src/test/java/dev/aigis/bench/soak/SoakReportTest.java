package dev.aigis.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakReportTest {

  private static final ResourceUsage USAGE = new ResourceUsage(300L << 20, 40L << 20, 400L << 20, 25, 150,
      new Connections(20, 16, 0));

  @Test
  void sampleRowsAreOnePerMinuteWithTheLastUnderLoadAndTheIdleOne() {
    List<Sample> samples = new ArrayList<>();
    for (int s = 0; s <= 600; s += 10) {
      samples.add(sample(s + 0.3, true));
    }
    samples.add(sample(604.2, false));

    List<Double> shown = SoakReport.shownSamples(samples, Duration.ofMinutes(10)).stream().map(Sample::seconds).toList();

    assertThat(shown).containsExactly(0.3, 60.3, 120.3, 180.3, 240.3, 300.3, 360.3, 420.3, 480.3, 540.3, 600.3, 604.2);
  }

  @Test
  void longRunsGetCoarserRows() {
    assertThat(SoakReport.rowStepSeconds(Duration.ofMinutes(10))).isEqualTo(60);
    assertThat(SoakReport.rowStepSeconds(Duration.ofMinutes(30))).isEqualTo(60);
    assertThat(SoakReport.rowStepSeconds(Duration.ofHours(1))).isEqualTo(120);
  }

  @Test
  void timesAndDurationsReadAsPeopleWriteThem() {
    assertThat(SoakReport.clock(61.4)).isEqualTo("1:01");
    assertThat(SoakReport.human(Duration.ofHours(1))).isEqualTo("1 h");
    assertThat(SoakReport.human(Duration.ofMinutes(10))).isEqualTo("10 min");
    assertThat(SoakReport.human(Duration.ofSeconds(90))).isEqualTo("90 s");
  }

  @Test
  void resourceValuesAndLimitsAreFormattedByUnit() {
    assertThat(ResourceMetric.RSS.format(300.0 * 1024 * 1024, false)).isEqualTo("300.0 MiB");
    assertThat(ResourceMetric.HEAP.format(1.5 * 1024 * 1024, true)).isEqualTo("+1.5 MiB");
    assertThat(ResourceMetric.THREADS.format(25, false)).isEqualTo("25");
    assertThat(ResourceMetric.DESCRIPTORS.format(-20.5, true)).isEqualTo("-20.5");
    assertThat(ResourceMetric.RSS.limitText()).isEqualTo("max(64.0 MiB, 10%)");
    assertThat(ResourceMetric.CLOSE_WAIT.limitText()).isEqualTo("8");
  }

  private static Sample sample(double seconds, boolean underLoad) {
    return new Sample(seconds, USAGE, 0, 0, -1, -1, underLoad);
  }
}
