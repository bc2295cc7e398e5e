package dev.aigis.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.identity.Identity;
import dev.aigis.core.processing.cel.PolicyExpressions;
import dev.aigis.model.policy.AccessRule;
import dev.aigis.model.policy.AccessRule.ModelMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

  static final Identity ALICE = new Identity(Identity.Kind.API_KEY, "alice", "research", List.of(),
      Map.of("env", "dev"), Map.of(), List.of(), null);
  static final Identity DANA = new Identity(Identity.Kind.JWT, "dana", null, List.of("ml", "ops"), Map.of(),
      Map.of("groups", List.of("ml", "ops"), "level", 3), List.of(), "corp");

  static AccessRules rules(AccessRule... rules) {
    List<String> errors = new ArrayList<>();
    AccessRules compiled = AccessRules.compile(List.of(rules), errors);
    assertThat(errors).isEmpty();
    return compiled;
  }

  static AccessRules.Decision decide(AccessRules rules, Identity identity, String model) {
    return rules.decide(identity, model, PolicyExpressions.variables().identity(PolicyAttributes.celIdentity(identity))
        .model(model));
  }

  static AccessRule.From teams(String... teams) {
    return new AccessRule.From(List.of(teams), List.of(), Map.of(), null);
  }

  @Test
  void theFirstMatchingRuleDecidesAndNoMatchIsNo() {
    AccessRules rules = rules(
        new AccessRule("no-o1", teams("research"), List.of(new ModelMatch(ModelMatch.Type.Prefix, "o1")), AccessRule.Action.Deny),
        new AccessRule("research", teams("research"), List.of(), AccessRule.Action.Allow));
    assertThat(decide(rules, ALICE, "o1-preview")).isEqualTo(new AccessRules.Decision(false, "no-o1"));
    assertThat(decide(rules, ALICE, "gpt-4o")).isEqualTo(new AccessRules.Decision(true, "research"));
    assertThat(decide(rules, DANA, "gpt-4o")).isEqualTo(new AccessRules.Decision(false, null));
  }

  @Test
  void modelsMatchExactlyByPrefixOrByAWholeRe2Expression() {
    AccessRules rules = rules(new AccessRule("r", AccessRule.From.ANYONE, List.of(
        new ModelMatch(ModelMatch.Type.Exact, "gpt-4o"),
        new ModelMatch(ModelMatch.Type.RegularExpression, "claude-(sonnet|haiku)-4.*")), AccessRule.Action.Allow));
    assertThat(decide(rules, ALICE, "gpt-4o").allowed()).isTrue();
    assertThat(decide(rules, ALICE, "gpt-4o-mini").allowed()).isFalse();
    assertThat(decide(rules, ALICE, "claude-sonnet-4-5").allowed()).isTrue();
    assertThat(decide(rules, ALICE, "my-claude-sonnet-4").allowed()).isFalse(); // whole name, not a search
    assertThat(decide(rules, ALICE, null).allowed()).isFalse(); // an endpoint without a model matches no model list
  }

  @Test
  void labelsKeysAndCelMustAllHold() {
    AccessRules rules = rules(
        new AccessRule("dev-alice", new AccessRule.From(List.of(), List.of("alice"), Map.of("env", "dev"), null),
            List.of(), AccessRule.Action.Allow),
        new AccessRule("ml", new AccessRule.From(List.of(), List.of(), Map.of(),
            "identity.groups.exists(g, g == \"ml\") && identity.claims.level >= 3"), List.of(), AccessRule.Action.Allow));
    assertThat(decide(rules, ALICE, "gpt-4o").rule()).isEqualTo("dev-alice");
    assertThat(decide(rules, DANA, "gpt-4o").rule()).isEqualTo("ml");
  }

  @Test
  void aCelRuleThatCannotEvaluateDoesNotMatch() {
    AccessRules rules = rules(new AccessRule("claims", new AccessRule.From(List.of(), List.of(), Map.of(),
        "identity.claims.department == \"legal\""), List.of(), AccessRule.Action.Allow));
    assertThat(decide(rules, ALICE, "gpt-4o")).isEqualTo(new AccessRules.Decision(false, null));
  }

  @Test
  void aKeysOwnModelListNarrowsAnAllow() {
    Identity narrow = new Identity(Identity.Kind.API_KEY, "carol", "research", List.of(), Map.of(), Map.of(),
        List.of("gpt-4o-mini*"), null);
    AccessRules rules = rules(new AccessRule("research", teams("research"), List.of(), AccessRule.Action.Allow));
    assertThat(decide(rules, narrow, "gpt-4o-mini-2024-07-18").allowed()).isTrue();
    assertThat(decide(rules, narrow, "gpt-4o").allowed()).isFalse();
  }

  @Test
  void aCelErrorIsReportedOnItsField() {
    List<String> errors = new ArrayList<>();
    AccessRules.compile(List.of(new AccessRule("bad", new AccessRule.From(List.of(), List.of(), Map.of(), "identity.team +"),
        List.of(), AccessRule.Action.Allow)), errors);
    assertThat(errors).singleElement().asString().startsWith("rules[0].from.cel: ");
  }
}
