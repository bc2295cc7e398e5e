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
 * those an error's field path points into ({@code spec.rules[i].backendRefs[j]...}). A route may lose
 * refs over several rounds; {@link Trimmed#positions} keeps where each remaining ref was written, so
 * every error names the ref (and the line) as the user wrote it.
 */
final class UnresolvedRefs {

  private static final Pattern REF = Pattern.compile("spec\\.rules\\[(\\d+)]\\.backendRefs\\[(\\d+)](.*)");

  /** A route with refs removed, and per rule the position each kept ref had in the route as written. */
  record Trimmed(HttpRoute route, List<List<Integer>> positions) {

    /** A route as written: every ref at its own position. */
    static Trimmed of(HttpRoute route) {
      List<List<Integer>> positions = new ArrayList<>();
      for (RouteRule rule : route.rules()) {
        positions.add(java.util.stream.IntStream.range(0, rule.backendRefs().size()).boxed().toList());
      }
      return new Trimmed(route, positions);
    }

    /** {@code error}, found on this trimmed route, as it reads on the route as written. */
    ConfigError asWritten(ConfigError error) {
      Matcher matcher = REF.matcher(error.fieldPath());
      if (!matcher.matches()) {
        return error;
      }
      int rule = Integer.parseInt(matcher.group(1));
      int written = positions.get(rule).get(Integer.parseInt(matcher.group(2)));
      return ConfigError.at(route, "spec.rules[" + rule + "].backendRefs[" + written + "]" + matcher.group(3), error.message());
    }

    /** Without the refs {@code errors} (found on this trimmed route) point at; rules stay, in order, even when left with none. */
    Trimmed without(List<ConfigError> errors) {
      Set<String> removed = new HashSet<>();
      for (ConfigError error : errors) {
        int[] at = ruleAndRef(error.fieldPath());
        removed.add(at[0] + "/" + at[1]);
      }
      List<RouteRule> rules = new ArrayList<>();
      List<List<Integer>> kept = new ArrayList<>();
      for (int i = 0; i < route.rules().size(); i++) {
        RouteRule rule = route.rules().get(i);
        List<BackendRef> refs = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int j = 0; j < rule.backendRefs().size(); j++) {
          if (!removed.contains(i + "/" + j)) {
            refs.add(rule.backendRefs().get(j));
            at.add(positions.get(i).get(j));
          }
        }
        rules.add(new RouteRule(rule.name(), rule.matches(), rule.filters(), refs, rule.timeouts(), rule.retry()));
        kept.add(List.copyOf(at));
      }
      return new Trimmed(new HttpRoute(route.metadata(), route.source(), route.parentRefs(), route.hostnames(), rules), kept);
    }
  }

  private UnresolvedRefs() {}

  /** {@code {rule, ref}} when {@code fieldPath} is in a backendRef, else null. */
  static int[] ruleAndRef(String fieldPath) {
    Matcher matcher = fieldPath == null ? null : REF.matcher(fieldPath);
    return matcher == null || !matcher.matches() ? null
        : new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))};
  }
}
