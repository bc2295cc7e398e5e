package dev.aigis.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "0s, PT0S",
    "10s, PT10S",
    "500ms, PT0.5S",
    "1h, PT1H",
    "1m30s, PT1M30S",
    "1h30m15s250ms, PT1H30M15.25S",
    "99999ms, PT1M39.999S",
  })
  void parsesGatewayApiDurations(String text, Duration expected) {
    assertThat(Durations.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "s", "1.5s", "-1s", "10 s", "1d", "100000s", "1h1m1s1ms1h", "PT10S", "10S"})
  void rejectsAnythingElse(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid duration \"" + text + "\": expected a Gateway API duration such as 10s, 500ms or 1m30s");
  }

  @ParameterizedTest
  @CsvSource({"0s, 0s", "1m30s, 1m30s", "90s, 1m30s", "1500ms, 1s500ms", "2h, 2h"})
  void formatsShortestForm(String text, String formatted) {
    assertThat(Durations.format(Durations.parse(text))).isEqualTo(formatted);
  }
}
