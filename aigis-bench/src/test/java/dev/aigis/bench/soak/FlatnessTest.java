package dev.aigis.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.aigis.bench.soak.Flatness.Limit;
import dev.aigis.bench.soak.Flatness.Point;
import dev.aigis.bench.soak.Flatness.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class FlatnessTest {

  private static final Limit TEN = new Limit(10, 0);

  @Test
  void aSeriesThatHoldsIsFlat() {
    // samples every 10 s for 10 min: 61 points, noise of ±3 around 100
    var v = Flatness.judge(series(61, i -> 100 + (i % 3 - 1) * 3), 60, TEN);

    assertThat(v.result()).isEqualTo(Result.FLAT);
    assertThat(v.baseline()).isEqualTo(100);
    assertThat(v.end()).isEqualTo(100);
    assertThat(v.growth()).isZero();
    assertThat(v.allowed()).isEqualTo(10);
  }

  @Test
  void aSteadyClimbBeyondTheLimitIsGrowing() {
    // +1 per sample: after 60 s warm-up, 55 points from 106 to 160; windows of 11
    var v = Flatness.judge(series(61, i -> 100 + i), 60, TEN);

    assertThat(v.result()).isEqualTo(Result.GROWING);
    assertThat(v.baseline()).isEqualTo(111); // median of 106..116
    assertThat(v.end()).isEqualTo(155); // median of 150..160
    assertThat(v.growth()).isEqualTo(44);
    // window middles at 110 s and 550 s: 44 over 440 s
    assertThat(v.perHour()).isCloseTo(44 / (440 / 3600.0), within(1e-9));
  }

  @Test
  void growthUpToTheLimitIsFlatAndJustBeyondIsNot() {
    assertThat(Flatness.judge(step(10), 0, TEN).result()).isEqualTo(Result.FLAT);
    assertThat(Flatness.judge(step(10.5), 0, TEN).result()).isEqualTo(Result.GROWING);
  }

  @Test
  void warmUpSamplesAreLeftOut() {
    // a climb during the first minute, flat after: judged from 60 s on, it is flat
    var series = series(61, i -> i < 6 ? i * 10 : 110);

    assertThat(Flatness.judge(series, 60, TEN).result()).isEqualTo(Result.FLAT);
    assertThat(Flatness.judge(series, 0, TEN).result()).isEqualTo(Result.GROWING);
  }

  @Test
  void oneOutlierAtEitherEndMovesNeitherMedian() {
    List<Point> series = new ArrayList<>(series(20, i -> 100));
    series.set(0, new Point(0, 400));
    series.set(19, new Point(190, 400));

    var v = Flatness.judge(series, 0, TEN);
    assertThat(v.baseline()).isEqualTo(100);
    assertThat(v.end()).isEqualTo(100);
    assertThat(v.result()).isEqualTo(Result.FLAT);
  }

  @Test
  void theLimitIsTheLargerOfItsAbsoluteAndRelativeParts() {
    var limit = new Limit(16, 0.10);
    assertThat(limit.of(100)).isEqualTo(16);
    assertThat(limit.of(400)).isEqualTo(40);
  }

  @Test
  void tooFewSamplesAfterWarmUpGiveNoVerdict() {
    var v = Flatness.judge(series(6, i -> 100 + i * 50), 20, TEN); // 4 points from 20 s on

    assertThat(v.result()).isEqualTo(Result.TOO_FEW_SAMPLES);
    assertThat(v.baseline()).isNaN();
  }

  @Test
  void medianOfEvenAndOddCounts() {
    assertThat(Flatness.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(Flatness.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }

  /** {@code n} points 10 s apart from 0 s. */
  private static List<Point> series(int n, IntToDoubleFunction value) {
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      points.add(new Point(i * 10, value.applyAsDouble(i)));
    }
    return points;
  }

  /** 10 points at 100, then 10 at {@code 100 + rise}. */
  private static List<Point> step(double rise) {
    return series(20, i -> i < 10 ? 100 : 100 + rise);
  }
}
