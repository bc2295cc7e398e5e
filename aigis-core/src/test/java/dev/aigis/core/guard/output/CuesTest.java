package dev.aigis.core.guard.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CuesTest {

  private static float[] of(String window, String before) {
    float[] x = new float[Cues.COUNT];
    Cues.features(window, before, x, 0);
    return x;
  }

  @Test
  void aRefusalIsSeenInSeveralLanguages() {
    assertThat(Cues.refuses("I'm sorry, but I can't help with that.")).isTrue();
    assertThat(Cues.refuses("I cannot provide instructions for that.")).isTrue();
    assertThat(Cues.refuses("Lo siento, no puedo ayudar con eso.")).isTrue();
    assertThat(Cues.refuses("我很抱歉，但我不能提供帮助。")).isTrue();
    assertThat(Cues.refuses("Es tut mir leid, das kann ich nicht.")).isTrue();
    assertThat(Cues.refuses("Sure, here are the steps.")).isFalse();
  }

  @Test
  void aJailbrokenSecondAnswerShowsItsShape() {
    float[] x = of("[DAN]: Sure, here are the steps:\n1. Get the tools\n2. Use them\n3. Leave", "[GPT]: I'm sorry, I can't help.");
    assertThat(x[0]).isZero(); // no refusal in the window
    assertThat(x[2]).isEqualTo(1); // a refusal before it
    assertThat(x[3]).isPositive(); // compliance
    assertThat(x[4]).isEqualTo(3 / 5f); // three step lines
    assertThat(x[6]).isPositive(); // a persona label
  }
}
