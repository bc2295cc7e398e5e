package dev.aigis.core.guard.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WindowsTest {

  @Test
  void aShortTextIsOneWindow() {
    assertThat(Windows.starts("short answer", 64, 48, 4)).containsExactly(0);
  }

  @Test
  void windowsStepThroughAndTheLastEndsAtTheEnd() {
    String text = "x".repeat(200);
    assertThat(Windows.starts(text, 64, 48, 10)).containsExactly(0, 48, 96, 136);
  }

  @Test
  void tooManyWindowsAreSpreadEvenlyKeepingTheEnds() {
    String text = "x".repeat(1000);
    assertThat(Windows.starts(text, 64, 48, 3)).containsExactly(0, 480, 936);
  }

  @Test
  void startsMoveToTheNextWord() {
    String text = "aaaa bbbb cccc dddd";
    assertThat(Windows.snap(text, 2)).isEqualTo(5);
    assertThat(Windows.snap(text, 5)).isEqualTo(5);
    assertThat(Windows.snap(text, 0)).isZero();
    assertThat(Windows.snap("x".repeat(100), 10)).isEqualTo(10);
  }
}
