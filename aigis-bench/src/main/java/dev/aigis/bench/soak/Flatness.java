package dev.aigis.bench.soak;

import java.util.Arrays;
import java.util.List;

/**
 * Whether one series stayed flat. Samples taken during warm-up (JIT, pools filling, the heap
 * settling) are left out; of the rest, the median of the last fifth is compared with the median
 * of the first fifth, so one outlier at either end (a sample taken mid-burst) moves neither. The
 * growth is allowed up to {@link Limit#of}: the larger of an absolute amount and a share of the
 * baseline. Pure: the caller extracts the series.
 */
final class Flatness {

  /** Share of the post-warm-up samples in each of the two windows compared. */
  static final double WINDOW = 0.2;
  /** Fewer samples after warm-up give no verdict. */
  static final int MIN_SAMPLES = 5;

  private Flatness() {}

  enum Result { FLAT, GROWING, TOO_FEW_SAMPLES }

  /** One value at {@code seconds} into the run. */
  record Point(double seconds, double value) {}

  /** Growth allowed: {@code max(absolute, relative × baseline)}. */
  record Limit(double absolute, double relative) {
    double of(double baseline) {
      return Math.max(absolute, relative * Math.abs(baseline));
    }
  }

  /**
   * @param baseline median of the first window after warm-up
   * @param end median of the last window
   * @param allowed the growth {@link Limit} allows for this baseline
   * @param perHour the growth scaled to an hour, from the time between the two windows' middles
   */
  record Verdict(double baseline, double end, double allowed, double perHour, Result result) {
    double growth() {
      return end - baseline;
    }
  }

  static Verdict judge(List<Point> series, double warmupSeconds, Limit limit) {
    List<Point> after = series.stream().filter(p -> p.seconds() >= warmupSeconds).toList();
    if (after.size() < MIN_SAMPLES) {
      return new Verdict(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Result.TOO_FEW_SAMPLES);
    }
    int window = Math.max(1, (int) Math.round(after.size() * WINDOW));
    List<Point> first = after.subList(0, window);
    List<Point> last = after.subList(after.size() - window, after.size());
    double baseline = median(first.stream().mapToDouble(Point::value).toArray());
    double end = median(last.stream().mapToDouble(Point::value).toArray());
    double allowed = limit.of(baseline);
    double hours = (median(last.stream().mapToDouble(Point::seconds).toArray())
        - median(first.stream().mapToDouble(Point::seconds).toArray())) / 3600;
    double perHour = hours > 0 ? (end - baseline) / hours : 0;
    return new Verdict(baseline, end, allowed, perHour, end - baseline > allowed ? Result.GROWING : Result.FLAT);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
