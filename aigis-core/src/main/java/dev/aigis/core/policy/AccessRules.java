package dev.aigis.core.policy;

import dev.aigis.core.identity.Identity;
import dev.aigis.core.processing.cel.PolicyExpressions;
import dev.aigis.model.policy.AccessRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An AccessPolicy's rules, compiled: the first rule whose {@code from} and {@code models} both match
 * decides, and when none matches the answer is no. A key's own model list narrows any Allow.
 */
public final class AccessRules {

  /** Which rule decided, or none; {@code rule} is null when no rule matched. */
  public record Decision(boolean allowed, String rule) {}

  private record Compiled(String name, Set<String> teams, Set<String> keys, Map<String, String> labels,
      PolicyExpressions.Expression cel, List<ModelPattern> models, boolean allow) {}

  private final List<Compiled> rules;

  private AccessRules(List<Compiled> rules) {
    this.rules = rules;
  }

  /**
   * @param errors receives {@code rules[i].from.cel: message} for expressions that do not compile
   */
  public static AccessRules compile(List<AccessRule> rules, List<String> errors) {
    List<Compiled> compiled = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      AccessRule rule = rules.get(i);
      PolicyExpressions.Expression cel = null;
      if (rule.from().cel() != null) {
        var result = PolicyExpressions.standard().compile(rule.from().cel(), PolicyExpressions.Result.BOOL);
        if (result.error() != null) {
          errors.add("rules[" + i + "].from.cel: " + result.error());
          continue;
        }
        cel = result.expression();
      }
      compiled.add(new Compiled(rule.name(), Set.copyOf(rule.from().teams()), Set.copyOf(rule.from().keys()),
          rule.from().labels(), cel, rule.models().stream().map(ModelPattern::of).toList(),
          rule.action() == AccessRule.Action.Allow));
    }
    return new AccessRules(List.copyOf(compiled));
  }

  /**
   * @param model the routed model, or null for endpoints that name none (only rules without
   *     {@code models} match those)
   * @param variables for {@code from.cel}; a CEL rule whose evaluation fails does not match
   */
  public Decision decide(Identity identity, String model, PolicyExpressions.Variables variables) {
    for (Compiled rule : rules) {
      if (fromMatches(rule, identity, variables) && modelMatches(rule, model)) {
        boolean allowed = rule.allow() && (model == null || identity.keyAllows(model));
        return new Decision(allowed, rule.name());
      }
    }
    return new Decision(false, null);
  }

  private static boolean fromMatches(Compiled rule, Identity identity, PolicyExpressions.Variables variables) {
    if (!rule.teams().isEmpty() && (identity.team() == null || !rule.teams().contains(identity.team()))) {
      return false;
    }
    if (!rule.keys().isEmpty() && !rule.keys().contains(identity.name())) {
      return false;
    }
    for (Map.Entry<String, String> label : rule.labels().entrySet()) {
      if (!label.getValue().equals(identity.labels().get(label.getKey()))) {
        return false;
      }
    }
    if (rule.cel() != null) {
      try {
        return rule.cel().test(variables);
      } catch (PolicyExpressions.PolicyExpressionException e) {
        return false; // a claim the expression reads is absent: the rule is not for this caller
      }
    }
    return true;
  }

  private static boolean modelMatches(Compiled rule, String model) {
    if (rule.models().isEmpty()) {
      return true;
    }
    if (model == null) {
      return false;
    }
    for (ModelPattern pattern : rule.models()) {
      if (pattern.matches(model)) {
        return true;
      }
    }
    return false;
  }
}
