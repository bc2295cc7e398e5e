package dev.aigis.core.routing.semantic;

import java.util.List;

/**
 * The examples a semantic router learns from, as a configuration (or the eval command) gives them.
 *
 * @param routes in configuration order; each with at least one example text
 * @param outOfScope texts of requests no route should take (may be empty)
 */
public record RouteExamples(List<Route> routes, List<String> outOfScope) {

  /** One route: its name (a metric label), the target it writes, and its example texts. */
  public record Route(String name, String target, List<String> texts) {
    public Route {
      texts = List.copyOf(texts);
    }
  }

  public RouteExamples {
    routes = List.copyOf(routes);
    outOfScope = List.copyOf(outOfScope);
  }

  public int size() {
    return outOfScope.size() + routes.stream().mapToInt(r -> r.texts().size()).sum();
  }
}
