package dev.aigis.bench.soak;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The resources the flatness verdict judges, each with the growth it allows between the start and
 * the end of the run (after warm-up). The limits are deliberately loose for what moves with load
 * and tight for what should not move at all; a real leak at the soak's rate (thousands of
 * requests a minute) crosses them within minutes. Growth per hour is reported beside them.
 */
enum ResourceMetric {
  /** RSS also grows while the JVM touches committed heap and Netty's arenas and the code cache settle. */
  RSS("RSS", Unit.MIB, u -> u.rssBytes(), new Flatness.Limit(64 * ResourceMetric.MIB, 0.10)),
  /** The live set after a full GC: the most precise leak signal. */
  HEAP("heap after GC", Unit.MIB, u -> u.heapUsedBytes(), new Flatness.Limit(16 * ResourceMetric.MIB, 0.10)),
  /** Worker and blocking pools grow lazily and may end a few threads apart. */
  THREADS("threads", Unit.COUNT, u -> u.threads(), new Flatness.Limit(4, 0.10)),
  /** Descriptors follow open connections, which follow the requests in flight at the sampled moment. */
  DESCRIPTORS("open descriptors", Unit.COUNT, u -> u.descriptors(), new Flatness.Limit(16, 0.10)),
  UPSTREAM("upstream connections", Unit.COUNT, u -> u.connections().upstream(), new Flatness.Limit(8, 0.25)),
  /** Sockets the peer closed and the gateway never did; anything beyond a handful is a leak. */
  CLOSE_WAIT("CLOSE_WAIT sockets", Unit.COUNT, u -> u.connections().closeWait(), new Flatness.Limit(8, 0));

  private static final long MIB = 1024 * 1024;

  private enum Unit { MIB, COUNT }

  private final String label;
  private final Unit unit;
  private final ToDoubleFunction<ResourceUsage> value;
  private final Flatness.Limit limit;

  ResourceMetric(String label, Unit unit, ToDoubleFunction<ResourceUsage> value, Flatness.Limit limit) {
    this.label = label;
    this.unit = unit;
    this.value = value;
    this.limit = limit;
  }

  String label() {
    return label;
  }

  Flatness.Limit limit() {
    return limit;
  }

  double of(ResourceUsage usage) {
    return value.applyAsDouble(usage);
  }

  Flatness.Verdict judge(List<Sample> samples, double warmupSeconds) {
    return Flatness.judge(samples.stream().filter(Sample::underLoad)
        .map(s -> new Flatness.Point(s.seconds(), of(s.usage()))).toList(), warmupSeconds, limit);
  }

  /** {@code 312.4 MiB}, {@code 41}: a value, or a growth when {@code signed}. */
  String format(double v, boolean signed) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    String sign = signed && v >= 0 ? "+" : "";
    if (unit == Unit.MIB) {
      return String.format(Locale.ROOT, "%s%.1f MiB", sign, v / MIB);
    }
    return v == Math.rint(v) ? sign + (long) v : String.format(Locale.ROOT, "%s%.1f", sign, v);
  }

  /** How the limit reads: {@code max(64 MiB, 10%)}. */
  String limitText() {
    String absolute = format(limit.absolute(), false);
    return limit.relative() > 0
        ? String.format(Locale.ROOT, "max(%s, %.0f%%)", absolute, limit.relative() * 100)
        : absolute;
  }
}
