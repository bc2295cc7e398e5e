package dev.aigis.core.guard.signature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.guard.TextScorer.Scored;
import dev.aigis.core.guard.text.TextNormaliser;
import org.junit.jupiter.api.Test;

class SignatureScorerTest {

  @Test
  void scoresWithRuleIdsAsSignals() throws RuleFileException {
    var set = SignatureSet.parse("t", """
        rules:
        - id: weak-a
          category: c
          weight: 0.3
          patterns: ['\\balpha\\b']
        - id: weak-b
          category: c
          weight: 0.3
          patterns: ['\\bbeta\\b']
        """);
    var scorer = new SignatureScorer(TextNormaliser.shared(), () -> set, 0.5);
    assertThat(scorer.score("nothing here")).isEqualTo(new Scored(0, false, java.util.List.of()));
    Scored one = scorer.score("alpha");
    assertThat(one.flagged()).isFalse();
    assertThat(one.signals()).containsExactly("weak-a");
    Scored both = scorer.score("alpha and bеta");
    assertThat(both.score()).isEqualTo(1 - 0.7 * 0.7);
    assertThat(both.flagged()).isTrue();
    assertThat(both.signals()).containsExactly("weak-a", "weak-b");
  }
}
