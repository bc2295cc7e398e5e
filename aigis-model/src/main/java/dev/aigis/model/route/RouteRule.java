package dev.aigis.model.route;

import java.util.List;

/**
 * One HTTPRoute rule. An empty {@code matches} list means "PathPrefix /", as in Gateway API.
 * {@code timeouts} and {@code retry} are nullable (no retry: a failed attempt fails the exchange).
 */
public record RouteRule(
    String name, List<RouteMatch> matches, List<RouteFilter> filters, List<BackendRef> backendRefs, RouteTimeouts timeouts,
    RouteRetry retry) {

  public RouteRule {
    matches = matches == null || matches.isEmpty() ? List.of(RouteMatch.DEFAULT) : List.copyOf(matches);
    filters = filters == null ? List.of() : List.copyOf(filters);
    backendRefs = backendRefs == null ? List.of() : List.copyOf(backendRefs);
  }

  /** A rule without retries. */
  public RouteRule(
      String name, List<RouteMatch> matches, List<RouteFilter> filters, List<BackendRef> backendRefs, RouteTimeouts timeouts) {
    this(name, matches, filters, backendRefs, timeouts, null);
  }
}
