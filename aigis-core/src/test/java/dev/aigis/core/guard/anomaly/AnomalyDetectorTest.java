package dev.aigis.core.guard.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {

  private static final float[] USUAL_TOPIC = {1, 0, 0};
  private static final float[] OTHER_TOPIC = {0, 1, 0};

  private final TestClock clock = new TestClock();
  private AnomalyDetector detector = new AnomalyDetector(AnomalySettings.defaults(), clock);

  /** Three 100-character prompts a minute, for {@code minutes} minutes. */
  private void steady(String key, int minutes) {
    for (int minute = 0; minute < minutes; minute++) {
      for (int i = 0; i < 3; i++) {
        assertThat(detector.observeRequest(key, 100, null).anomalous()).isFalse();
        clock.advance(Duration.ofSeconds(20));
      }
    }
  }

  /** {@code count} requests one second apart, all inside the next minute. */
  private List<AnomalyVerdict> burst(String key, int count) {
    List<AnomalyVerdict> verdicts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      verdicts.add(detector.observeRequest(key, 100, null));
      clock.advance(Duration.ofSeconds(1));
    }
    return verdicts;
  }

  @Test
  void aBurstAfterASteadyBaselineIsFlaggedOnceItPassesTheThreshold() {
    steady("alice", 30);
    List<AnomalyVerdict> verdicts = burst("alice", 30);
    // ln((c + 1) / 4) / 0.3 >= 4 first holds for the 13th request of the minute.
    assertThat(verdicts.subList(0, 12)).noneMatch(AnomalyVerdict::anomalous);
    assertThat(verdicts.get(11).maxZ()).isCloseTo(Math.log(13 / 4.0) / 0.3, within(1e-9));
    assertThat(verdicts.get(12).signals()).containsExactly("rate:z=4.2");
    AnomalyVerdict last = verdicts.getLast();
    assertThat(last.anomalous()).isTrue();
    assertThat(last.maxZ()).isCloseTo(Math.log(31 / 4.0) / 0.3, within(1e-9));
    assertThat(last.signals()).containsExactly("rate:z=6.8");
  }

  @Test
  void theSameBurstBeforeTheMinimumHistoryIsNot() {
    steady("alice", 10);
    assertThat(burst("alice", 30)).containsOnly(AnomalyVerdict.NONE);
  }

  @Test
  void aSmallChangeOfASteadyBaselineStaysUnderTheFloor() {
    steady("alice", 30);
    AnomalyVerdict verdict = detector.observeRequest("alice", 110, null);
    assertThat(verdict.anomalous()).isFalse();
    assertThat(verdict.maxZ()).isCloseTo(Math.log(111 / 101.0) / 0.3, within(1e-9));
    assertThat(verdict.signals()).isEmpty();
  }

  @Test
  void aLongPromptOnAnotherSubjectIsFlaggedAndAUsualOneIsNot() {
    for (int i = 0; i < 25; i++) {
      detector.observeRequest("alice", 100, USUAL_TOPIC);
      clock.advance(Duration.ofMinutes(1));
    }
    float[] nearby = {(float) Math.cos(0.1), (float) Math.sin(0.1), 0};
    AnomalyVerdict usual = detector.observeRequest("alice", 100, nearby);
    assertThat(usual.anomalous()).isFalse();
    assertThat(usual.maxZ()).isCloseTo((1 - Math.cos(0.1)) / 0.05, within(1e-6));

    clock.advance(Duration.ofMinutes(1));
    AnomalyVerdict verdict = detector.observeRequest("alice", 5000, OTHER_TOPIC);
    assertThat(verdict.anomalous()).isTrue();
    assertThat(verdict.signals()).containsExactly("length:z=13.0", "distance:z=19.9");
  }

  @Test
  void aBrokenVectorIsIgnoredAndAnotherDimensionIsRefused() {
    for (int i = 0; i < 25; i++) {
      detector.observeRequest("alice", 100, USUAL_TOPIC);
      clock.advance(Duration.ofMinutes(1));
    }
    detector.observeRequest("alice", 100, new float[] {Float.NaN, 0, 0});
    AnomalyVerdict verdict = detector.observeRequest("alice", 100, OTHER_TOPIC);
    assertThat(verdict.signals()).containsExactly("distance:z=20.0");
    assertThatThrownBy(() -> detector.observeRequest("alice", 100, new float[] {1, 0}))
        .hasMessage("embedding has 2 dimensions, the baseline 3");
  }

  @Test
  void aNewKeyIsNeverFlagged() {
    steady("alice", 30);
    assertThat(detector.observeRequest("mallory", 50_000, OTHER_TOPIC)).isEqualTo(AnomalyVerdict.NONE);
    assertThat(burst("mallory", 200)).containsOnly(AnomalyVerdict.NONE);
    assertThat(detector.observeUsage("mallory", 1_000_000)).isEqualTo(AnomalyVerdict.NONE);
  }

  @Test
  void unusualTokenUsageIsFlaggedWhenReported() {
    for (int i = 0; i < 25; i++) {
      assertThat(detector.observeUsage("alice", 200)).isEqualTo(AnomalyVerdict.NONE);
    }
    AnomalyVerdict verdict = detector.observeUsage("alice", 20_000);
    assertThat(verdict.anomalous()).isTrue();
    assertThat(verdict.maxZ()).isCloseTo(Math.log(20_001 / 201.0) / 0.3, within(1e-9));
    assertThat(verdict.signals()).containsExactly("tokens:z=15.3");
  }

  @Test
  void onlyTheConfiguredSignalsCount() {
    detector = new AnomalyDetector(AnomalySettings.defaults().withSignals(EnumSet.of(Signal.DISTANCE)), clock);
    steady("alice", 30);
    assertThat(burst("alice", 30)).containsOnly(AnomalyVerdict.NONE);
  }

  @Test
  void theNumberOfTrackedKeysIsBounded() {
    detector = new AnomalyDetector(AnomalySettings.defaults().withMaxKeys(100), clock);
    for (int i = 0; i < 1000; i++) {
      detector.observeRequest("client-" + i, 100, USUAL_TOPIC);
    }
    assertThat(detector.trackedKeys()).isEqualTo(100);
  }

  @Test
  void anIdleKeyIsForgottenAndStartsOver() {
    detector = new AnomalyDetector(AnomalySettings.defaults().withIdleExpiry(Duration.ofHours(1)), clock);
    steady("alice", 30);
    clock.advance(Duration.ofHours(2));
    assertThat(detector.trackedKeys()).isZero();
    assertThat(burst("alice", 30)).containsOnly(AnomalyVerdict.NONE);
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> AnomalySettings.defaults().withMinHistory(1))
        .hasMessage("minHistory must be at least 2, got 1");
    assertThatThrownBy(() -> AnomalySettings.defaults().withZThreshold(0))
        .hasMessage("zThreshold must be positive, got 0.0");
    assertThatThrownBy(() -> Signal.of("speed"))
        .hasMessage("unknown anomaly signal 'speed' (rate, tokens, length, distance)");
    assertThat(Signal.of("distance")).isEqualTo(Signal.DISTANCE);
  }

  @Test
  void ewmaAveragesPlainlyUntilTheSmoothingTakesOver() {
    var plain = new Ewma(0.05);
    plain.add(1);
    plain.add(2);
    plain.add(3);
    assertThat(plain.mean()).isEqualTo(2.0);
    assertThat(plain.variance()).isCloseTo(2 / 3.0, within(1e-12));

    var fast = new Ewma(0.5);
    fast.add(1);
    fast.add(3);
    fast.add(5);
    assertThat(fast.mean()).isEqualTo(3.5);
    assertThat(fast.variance()).isEqualTo(2.75);
  }

  private static final class TestClock implements InstantSource {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
