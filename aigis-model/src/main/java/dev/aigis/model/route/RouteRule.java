package dev.aigis.model.route;

import java.util.List;

/**
 * One HTTPRoute rule. An empty {@code matches} list means "PathPrefix /", as in Gateway API.
 * {@code timeouts} is nullable.
 */
public record RouteRule(
    String name, List<RouteMatch> matches, List<RouteFilter> filters, List<BackendRef> backendRefs, RouteTimeouts timeouts) {

  public RouteRule {
    matches = matches == null || matches.isEmpty() ? List.of(RouteMatch.DEFAULT) : List.copyOf(matches);
    filters = filters == null ? List.of() : List.copyOf(filters);
    backendRefs = backendRefs == null ? List.of() : List.copyOf(backendRefs);
  }
}
