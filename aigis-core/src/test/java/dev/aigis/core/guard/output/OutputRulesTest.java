package dev.aigis.core.guard.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

class OutputRulesTest {

  private static final OutputRules SHIPPED = OutputRules.fromResource(OutputFilter.RULES);

  private static java.util.List<String> ids(String text) {
    return SHIPPED.match(OutputRules.normalise(text)).stream().map(OutputRules.Hit::id).toList();
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
  void textIsNormalisedBeforeMatching() {
    assertThat(OutputRules.normalise("Ｍix  THE\n\tpowder’s")).isEqualTo("mix the powder's");
    assertThat(ids("MIX the\n\nAMMONIUM   NITRATE")).containsExactly("explosive-mixture");
  }

  @Test
  void aBrokenPatternIsReportedWithItsRule() throws Exception {
    var yaml = new YAMLMapper().readTree("rules:\n- id: bad\n  category: x\n  weight: 0.5\n  patterns: ['(unclosed']\n");
    assertThatThrownBy(() -> OutputRules.parse(yaml, "test.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("test.yaml: rule bad has an invalid pattern");
  }
}
