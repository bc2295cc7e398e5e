package dev.aigis.model.policy;

import java.util.List;
import java.util.Map;

/**
 * One AccessPolicy rule: it matches when the caller matches {@code from} and the model matches one
 * of {@code models} (no models: any model); the first matching rule's action decides.
 */
public record AccessRule(String name, From from, List<ModelMatch> models, Action action) {

  public enum Action { Allow, Deny }

  public AccessRule {
    from = from == null ? From.ANYONE : from;
    models = models == null ? List.of() : List.copyOf(models);
    action = action == null ? Action.Allow : action;
  }

  /**
   * Who a rule is for. Every listed criterion must hold (teams, keys, labels, CEL); within a list any
   * entry matches. All empty: every authenticated caller.
   *
   * @param teams identity teams
   * @param keys API key names (or JWT subjects)
   * @param labels labels the identity must carry, all of them
   * @param cel a CEL predicate over {@code identity}
   */
  public record From(List<String> teams, List<String> keys, Map<String, String> labels, String cel) {
    public static final From ANYONE = new From(List.of(), List.of(), Map.of(), null);

    public From {
      teams = teams == null ? List.of() : List.copyOf(teams);
      keys = keys == null ? List.of() : List.copyOf(keys);
      labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
  }

  /** A model name pattern; {@code RegularExpression} is RE2 syntax, matched against the whole name. */
  public record ModelMatch(Type type, String value) {
    public enum Type { Exact, Prefix, RegularExpression }
  }
}
