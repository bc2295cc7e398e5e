package dev.aigis.model.snapshot;

import dev.aigis.model.ConfigError;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.route.BackendRef;
import dev.aigis.model.route.RouteRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backendRefs per-resource compilation removes from a route instead of leaving the route out:
 * those an error's field path points into ({@code spec.rules[i].backendRefs[j]...}).
 */
final class UnresolvedRefs {

  private static final Pattern REF = Pattern.compile("spec\\.rules\\[(\\d+)]\\.backendRefs\\[(\\d+)](\\..*)?");

  private UnresolvedRefs() {}

  /** {@code {rule, ref}} when {@code fieldPath} is in a backendRef, else null. */
  static int[] ruleAndRef(String fieldPath) {
    Matcher matcher = fieldPath == null ? null : REF.matcher(fieldPath);
    return matcher == null || !matcher.matches() ? null
        : new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))};
  }

  /** {@code route} without the backendRefs {@code errors} point at; its rules stay, in order, even when left with none. */
  static HttpRoute without(HttpRoute route, List<ConfigError> errors) {
    Set<String> removed = new HashSet<>();
    for (ConfigError error : errors) {
      int[] at = ruleAndRef(error.fieldPath());
      removed.add(at[0] + "/" + at[1]);
    }
    List<RouteRule> rules = new ArrayList<>();
    for (int i = 0; i < route.rules().size(); i++) {
      RouteRule rule = route.rules().get(i);
      List<BackendRef> refs = new ArrayList<>();
      for (int j = 0; j < rule.backendRefs().size(); j++) {
        if (!removed.contains(i + "/" + j)) {
          refs.add(rule.backendRefs().get(j));
        }
      }
      rules.add(new RouteRule(rule.name(), rule.matches(), rule.filters(), refs, rule.timeouts(), rule.retry()));
    }
    return new HttpRoute(route.metadata(), route.source(), route.parentRefs(), route.hostnames(), rules);
  }
}
