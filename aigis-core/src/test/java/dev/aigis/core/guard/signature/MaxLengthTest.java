package dev.aigis.core.guard.signature;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaxLengthTest {

  @Test
  void boundsAsciiLiteralsGroupsAndCountedRepeats() {
    assertThat(MaxLength.of("abc")).isEqualTo(3);
    assertThat(MaxLength.of("\\b(ab|abcd)\\b")).isEqualTo(4);
    assertThat(MaxLength.of("a?b{2,5}")).isEqualTo(6);
    assertThat(MaxLength.of("x[^.\\n]{0,40}y")).isEqualTo(82); // a class may match a surrogate pair
    assertThat(MaxLength.of("(?m)^\\s?(?i:ab)$")).isEqualTo(4);
    assertThat(MaxLength.of("a{3}")).isEqualTo(3);
  }

  @Test
  void unboundedOrUnreadablePatternsHaveNoBound() {
    assertThat(MaxLength.of("a+")).isEqualTo(-1);
    assertThat(MaxLength.of("a.*b")).isEqualTo(-1);
    assertThat(MaxLength.of("a{2,}")).isEqualTo(-1);
    assertThat(MaxLength.of("(ab")).isEqualTo(-1);
    assertThat(MaxLength.of("\\Qa+\\E")).isEqualTo(-1);
  }
}
