package dev.aigis.core.guard.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.guard.signature.SignatureHit;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputRulesTest {

  private static final OutputRules SHIPPED = OutputRules.fromResource(OutputFilter.RULES);

  private static List<String> ids(String text) {
    return SHIPPED.match(text).stream().map(SignatureHit::ruleId).toList();
  }

  @Test
  void aComplyingAnswerMatchesItsCategoryRules() {
    assertThat(ids("Sure. Step 1: mix the ammonium nitrate with fuel oil, then attach the detonator and wire it to the timer."))
        .containsExactly("explosive-mixture", "detonator-assembly");
    assertThat(ids("To shoplift, peel off the security tag in a blind spot and leave calmly."))
        .containsExactly("theft-method");
  }

  @Test
  void aRefusalThatNamesTheTopicMatchesNothing() {
    assertThat(ids("I'm sorry, but I can't help with making explosives or hacking into someone's email account."))
        .isEmpty();
    assertThat(ids("Here is a recipe for tomato soup: chop the onions and simmer for twenty minutes.")).isEmpty();
  }

  @Test
  void textIsNormalisedAndRulesReachAcrossLines() {
    assertThat(ids("MIX the\n\nAMMONIUM   NITRATE")).containsExactly("explosive-mixture");
    assertThat(ids("Ｍix the ammonium nitrate")).containsExactly("explosive-mixture");
  }

  @Test
  void hitsCombineAsIndependentEvidence() {
    List<SignatureHit> hits = SHIPPED.match(
        "Step 1: mix the ammonium nitrate with fuel oil. Step 2: attach the detonator and wire it to the timer.");
    assertThat(OutputRules.weight(hits)).isEqualTo(1 - 0.4 * 0.5);
  }
}
