package dev.aigis.core.guard.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.guard.output.Windows.Span;
import org.junit.jupiter.api.Test;

class WindowsTest {

  @Test
  void aShortTextIsOneWindow() {
    assertThat(Windows.spans("short answer", 64, 48, 4)).containsExactly(new Span(0, 12));
  }

  @Test
  void windowsStepThroughAndTheLastEndsAtTheEnd() {
    String text = "x".repeat(200);
    assertThat(Windows.spans(text, 64, 48, 10))
        .containsExactly(new Span(0, 64), new Span(48, 112), new Span(96, 160), new Span(136, 200));
  }

  @Test
  void tooManyWindowsAreSpreadEvenlyKeepingTheEnds() {
    String text = "x".repeat(1000);
    assertThat(Windows.spans(text, 64, 48, 3))
        .containsExactly(new Span(0, 64), new Span(480, 544), new Span(936, 1000));
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
