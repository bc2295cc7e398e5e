package dev.aigis.core.ratelimit;

import dev.aigis.model.policy.RateLimitRule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * One fixed rate-limit window, {@code [start, end)}, aligned to UTC.
 *
 * <h2>Why fixed windows</h2>
 *
 * A rule's budget is counted per fixed window rather than with a sliding window or a token bucket:
 *
 * <ul>
 *   <li><b>Exact within a window.</b> A window is one counter, so "N requests per minute" admits
 *       exactly N in each minute, shared exactly by every replica through one Redis key.
 *   <li><b>An exact reset.</b> The {@code RateLimit-Reset} and {@code Retry-After} headers are the
 *       window's end, a time every replica agrees on, not an estimate.
 *   <li><b>Calendar budgets.</b> "$500 per month" means the calendar month in UTC, which a sliding
 *       window or token bucket cannot express.
 * </ul>
 *
 * The precedent is Envoy's ratelimit service (envoyproxy/ratelimit), which counts fixed windows in
 * Redis the same way. The price is the boundary burst: a client that spends its whole budget at the
 * end of one window and again at the start of the next gets up to 2 &times; volume within one
 * window length. Within one window the admitted cost is at most volume plus the in-flight bound of
 * {@link RateLimitStore} (one request's cost, and under-estimates reconciled later).
 *
 * <h2>Alignment</h2>
 *
 * Second, Minute, Hour and Day windows of {@code timeValue} units are aligned to the Unix epoch:
 * 5-minute windows start at :00, :05, :10, ...; 7-day windows at multiples of 7 days since
 * 1970-01-01 (a Thursday). Month windows are calendar months in UTC; {@code timeValue} months are
 * counted from 1970-01, so 3-month windows are the calendar quarters and 12-month windows the
 * calendar years. A window never depends on when the gateway started, so every replica computes the
 * same windows.
 *
 * @param start inclusive, a whole second
 * @param end exclusive, after {@code start}, a whole second (stores key windows by epoch second)
 */
public record Window(Instant start, Instant end) {

  public Window {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.getNano() != 0 || end.getNano() != 0) {
      throw new IllegalArgumentException("a window starts and ends on whole seconds: " + start + " .. " + end);
    }
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("a window must end after it starts: " + start + " .. " + end);
    }
  }

  /**
   * The window of {@code timeValue} {@code unit}s that holds {@code now}.
   *
   * @throws IllegalArgumentException if {@code timeValue} is not positive
   */
  public static Window of(RateLimitRule.TimeUnit unit, int timeValue, Instant now) {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(now, "now");
    if (timeValue <= 0) {
      throw new IllegalArgumentException("timeValue must be positive, got " + timeValue);
    }
    return switch (unit) {
      case Second -> fixed(timeValue, now);
      case Minute -> fixed(60L * timeValue, now);
      case Hour -> fixed(3_600L * timeValue, now);
      case Day -> fixed(86_400L * timeValue, now);
      case Month -> months(timeValue, now);
    };
  }

  private static Window fixed(long lengthSeconds, Instant now) {
    long start = Math.floorDiv(now.getEpochSecond(), lengthSeconds) * lengthSeconds;
    return new Window(Instant.ofEpochSecond(start), Instant.ofEpochSecond(start + lengthSeconds));
  }

  private static Window months(int months, Instant now) {
    LocalDate date = LocalDate.ofInstant(now, ZoneOffset.UTC);
    long sinceEpoch = (date.getYear() - 1970L) * 12 + date.getMonthValue() - 1;
    long first = Math.floorDiv(sinceEpoch, months) * months;
    LocalDate start = LocalDate.of(1970, 1, 1).plusMonths(first);
    return new Window(start.atStartOfDay(ZoneOffset.UTC).toInstant(),
        start.plusMonths(months).atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  public Duration length() {
    return Duration.between(start, end);
  }

  /** Whether the window is over at {@code now}: nothing charged to it can matter any more. */
  public boolean endedBy(Instant now) {
    return !now.isBefore(end);
  }
}
