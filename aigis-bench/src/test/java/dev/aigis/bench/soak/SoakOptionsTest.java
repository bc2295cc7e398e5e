package dev.aigis.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SoakOptionsTest {

  @Test
  void defaultsAreATenMinuteRunAtTheLaunchersJvmOptions() {
    SoakOptions o = SoakOptions.parse(new String[] {"--root", "/tmp/x", "soak"});

    assertThat(o.duration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(o.warmup()).isEqualTo(Duration.ofMinutes(1));
    assertThat(o.connections()).isEqualTo(32);
    assertThat(o.rate()).isEqualTo(200);
    assertThat(o.sampleEvery()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.gatewayJavaOpts()).contains("-Xms256m -Xmx1g -XX:MaxDirectMemorySize=512m -XX:+ExitOnOutOfMemoryError");
    assertThat(o.output()).isEqualTo(Path.of("/tmp/x/docs/benchmarks.md"));
    assertThat(o.command()).isEqualTo("./aigis bench soak");
  }

  @Test
  void durationsTakeUnitsOrBareSeconds() {
    SoakOptions o = SoakOptions.parse(new String[] {"soak", "--duration", "1h", "--sample-every", "30",
        "--connections", "8", "--output", "/tmp/soak.md"});

    assertThat(o.duration()).isEqualTo(Duration.ofHours(1));
    assertThat(o.warmup()).isEqualTo(Duration.ofMinutes(6));
    assertThat(o.sampleEvery()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.command()).isEqualTo("./aigis bench soak --duration 1h --sample-every 30 --connections 8 --output /tmp/soak.md");
    assertThat(SoakOptions.duration("1m30s")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void theDefaultWarmUpIsATenthAtLeast30SecondsAtMostHalf() {
    assertThat(SoakOptions.defaultWarmup(Duration.ofMinutes(10))).isEqualTo(Duration.ofMinutes(1));
    assertThat(SoakOptions.defaultWarmup(Duration.ofMinutes(2))).isEqualTo(Duration.ofSeconds(30));
    assertThat(SoakOptions.defaultWarmup(Duration.ofSeconds(40))).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void badValuesAreRefused() {
    assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--duration", "10 minutes"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--warmup", "10m"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--warmup shorter than --duration");
    assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--rate"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--rate needs a value");
    assertThatThrownBy(() -> SoakOptions.parse(new String[] {"--nope"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unknown option --nope");
  }

  @Test
  void theRateRampsOverTheWarmUpThenHolds() {
    var plan = new SoakDriver.Plan(0, 1, 100, Duration.ofMinutes(10), Duration.ofSeconds(60), new RequestMix(1));

    assertThat(plan.dueBy(0)).isZero();
    assertThat(plan.dueBy(30)).isEqualTo(750); // 100 × 30² / 120
    assertThat(plan.dueBy(60)).isEqualTo(3_000); // half the full rate's 6,000 over the ramp
    assertThat(plan.dueBy(61) - plan.dueBy(60)).isEqualTo(100);
    assertThat(plan.dueBy(600)).isEqualTo(57_000);
  }

  @Test
  void dueRequestsAreSentUpToTheInFlightBoundAndTheRestSkipped() {
    assertThat(SoakDriver.admitted(5, 0, 512)).isEqualTo(5);
    assertThat(SoakDriver.admitted(5, 509, 512)).isEqualTo(3);
    assertThat(SoakDriver.admitted(5, 512, 512)).isZero();
    assertThat(SoakDriver.admitted(0, 10, 512)).isZero();
  }
}
