package dev.aigis.core.ratelimit;

import static dev.aigis.model.policy.RateLimitRule.TimeUnit.Day;
import static dev.aigis.model.policy.RateLimitRule.TimeUnit.Hour;
import static dev.aigis.model.policy.RateLimitRule.TimeUnit.Minute;
import static dev.aigis.model.policy.RateLimitRule.TimeUnit.Month;
import static dev.aigis.model.policy.RateLimitRule.TimeUnit.Second;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.model.policy.RateLimitRule;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WindowTest {

  @ParameterizedTest(name = "{1} {0} at {2}")
  @CsvSource({
      // unit, value, now, start, end
      "Second, 1, 2025-03-04T10:11:12.999Z, 2025-03-04T10:11:12Z, 2025-03-04T10:11:13Z",
      "Second, 10, 2025-03-04T10:11:19Z, 2025-03-04T10:11:10Z, 2025-03-04T10:11:20Z",
      "Minute, 1, 2025-03-04T10:11:59.999Z, 2025-03-04T10:11:00Z, 2025-03-04T10:12:00Z",
      "Minute, 5, 2025-03-04T10:14:59Z, 2025-03-04T10:10:00Z, 2025-03-04T10:15:00Z",
      "Minute, 5, 2025-03-04T10:15:00Z, 2025-03-04T10:15:00Z, 2025-03-04T10:20:00Z",
      "Hour, 1, 2025-03-04T10:59:59Z, 2025-03-04T10:00:00Z, 2025-03-04T11:00:00Z",
      "Hour, 6, 2025-03-04T23:00:00Z, 2025-03-04T18:00:00Z, 2025-03-05T00:00:00Z",
      "Day, 1, 2025-12-31T23:59:59Z, 2025-12-31T00:00:00Z, 2026-01-01T00:00:00Z",
      // 7-day windows count from the epoch, a Thursday
      "Day, 7, 2025-03-04T00:00:00Z, 2025-02-27T00:00:00Z, 2025-03-06T00:00:00Z",
      "Month, 1, 2025-12-31T23:59:59.999Z, 2025-12-01T00:00:00Z, 2026-01-01T00:00:00Z",
      "Month, 1, 2026-01-01T00:00:00Z, 2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z",
      "Month, 1, 2025-02-28T12:00:00Z, 2025-02-01T00:00:00Z, 2025-03-01T00:00:00Z",
      "Month, 1, 2024-02-29T23:59:59Z, 2024-02-01T00:00:00Z, 2024-03-01T00:00:00Z",
      "Month, 1, 2024-03-01T00:00:00Z, 2024-03-01T00:00:00Z, 2024-04-01T00:00:00Z",
      // 3 months counted from 1970-01 are the calendar quarters; 12 the calendar years
      "Month, 3, 2025-02-15T00:00:00Z, 2025-01-01T00:00:00Z, 2025-04-01T00:00:00Z",
      "Month, 3, 2025-12-15T00:00:00Z, 2025-10-01T00:00:00Z, 2026-01-01T00:00:00Z",
      "Month, 12, 2025-07-01T00:00:00Z, 2025-01-01T00:00:00Z, 2026-01-01T00:00:00Z",
      "Month, 2, 2026-01-31T00:00:00Z, 2026-01-01T00:00:00Z, 2026-03-01T00:00:00Z",
      // before the epoch, windows still align (floor, not truncation)
      "Minute, 1, 1969-12-31T23:59:30Z, 1969-12-31T23:59:00Z, 1970-01-01T00:00:00Z",
      "Month, 1, 1969-12-15T00:00:00Z, 1969-12-01T00:00:00Z, 1970-01-01T00:00:00Z",
  })
  void windowsAreAlignedToUtc(RateLimitRule.TimeUnit unit, int value, String now, String start, String end) {
    Window window = Window.of(unit, value, Instant.parse(now));
    assertThat(window).isEqualTo(new Window(Instant.parse(start), Instant.parse(end)));
  }

  @Test
  void monthLengthsFollowTheCalendar() {
    assertThat(Window.of(Month, 1, Instant.parse("2025-02-10T00:00:00Z")).length().toDays()).isEqualTo(28);
    assertThat(Window.of(Month, 1, Instant.parse("2024-02-10T00:00:00Z")).length().toDays()).isEqualTo(29);
    assertThat(Window.of(Month, 1, Instant.parse("2025-12-10T00:00:00Z")).length().toDays()).isEqualTo(31);
  }

  @Test
  void everyInstantOfAWindowMapsToIt() {
    Instant start = Instant.parse("2025-03-04T10:10:00Z");
    Window window = Window.of(Minute, 5, start);
    assertThat(Window.of(Minute, 5, start.plusSeconds(299).plusNanos(999_999_999))).isEqualTo(window);
    assertThat(Window.of(Minute, 5, start.minusNanos(1)).end()).isEqualTo(start);
    assertThat(window.endedBy(window.end())).isTrue();
    assertThat(window.endedBy(window.end().minusNanos(1))).isFalse();
  }

  @Test
  void invalidWindowsAreRejected() {
    Instant now = Instant.parse("2025-03-04T10:10:00Z");
    assertThatThrownBy(() -> Window.of(Hour, 0, now)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Window.of(Day, -1, now)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Window(now, now)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Window.of(Second, Integer.MAX_VALUE, now).start()).isEqualTo(Instant.EPOCH);
  }
}
