package dev.aigis.core.routing;

import dev.aigis.model.HttpRoute;
import dev.aigis.model.route.RouteMatch;
import dev.aigis.model.route.RouteMatch.HeaderMatch;
import dev.aigis.model.route.RouteMatch.QueryParamMatch;
import dev.aigis.model.route.RouteRule;
import dev.aigis.model.snapshot.ResolvedBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTPRouteMatch of one rule, compiled: regexes built, its answer prebuilt so a successful
 * match allocates nothing. Immutable and shared by all request threads.
 */
final class CompiledMatch {

  private final HttpRoute route;
  private final int routeIndex;
  private final int ruleIndex;
  private final int matchIndex;
  private final PathMatcher path;
  private final String method;
  private final String[] headerNames;
  private final ValueMatcher[] headerValues;
  private final String[] queryNames;
  private final ValueMatcher[] queryValues;
  private final Optional<RouteMatchResult> result;

  private CompiledMatch(HttpRoute route, int routeIndex, int ruleIndex, int matchIndex, RouteMatch match, BackendSelector backends) {
    this.route = route;
    this.routeIndex = routeIndex;
    this.ruleIndex = ruleIndex;
    this.matchIndex = matchIndex;
    this.path = PathMatcher.compile(match.path());
    this.method = match.method();
    List<HeaderMatch> headers = match.headers();
    this.headerNames = new String[headers.size()];
    this.headerValues = new ValueMatcher[headers.size()];
    for (int i = 0; i < headers.size(); i++) {
      headerNames[i] = headers.get(i).name();
      headerValues[i] = ValueMatcher.compile(headers.get(i).type(), headers.get(i).value());
    }
    List<QueryParamMatch> query = match.queryParams();
    this.queryNames = new String[query.size()];
    this.queryValues = new ValueMatcher[query.size()];
    for (int i = 0; i < query.size(); i++) {
      queryNames[i] = query.get(i).name();
      queryValues[i] = ValueMatcher.compile(query.get(i).type(), query.get(i).value());
    }
    RouteRule rule = route.rules().get(ruleIndex);
    this.result = Optional.of(new RouteMatchResult(route, ruleIndex, rule, match, backends));
  }

  /** Every match of every rule of {@code route}; rules share one {@link BackendSelector} across their matches. */
  static List<CompiledMatch> of(HttpRoute route, int routeIndex, Map<String, ResolvedBackend> backends) {
    List<CompiledMatch> compiled = new ArrayList<>();
    for (int r = 0; r < route.rules().size(); r++) {
      RouteRule rule = route.rules().get(r);
      BackendSelector selector = BackendSelector.resolve(rule.backendRefs(), route.metadata().namespace(), backends);
      for (int m = 0; m < rule.matches().size(); m++) {
        compiled.add(new CompiledMatch(route, routeIndex, r, m, rule.matches().get(m), selector));
      }
    }
    return compiled;
  }

  /** Path, method and headers: everything but the query, which is parsed only if these pass. */
  boolean matchesHead(RequestHead head) {
    if (!path.matches(head.path())) {
      return false;
    }
    if (method != null && !method.equals(head.method())) {
      return false;
    }
    for (int i = 0; i < headerNames.length; i++) {
      if (!headerValues[i].matches(head.headers().get(headerNames[i]))) {
        return false;
      }
    }
    return true;
  }

  boolean needsQuery() {
    return queryNames.length > 0;
  }

  boolean matchesQuery(QueryParams query) {
    for (int i = 0; i < queryNames.length; i++) {
      if (!queryValues[i].matches(query.first(queryNames[i]))) {
        return false;
      }
    }
    return true;
  }

  Optional<RouteMatchResult> result() {
    return result;
  }

  HttpRoute route() {
    return route;
  }

  int routeIndex() {
    return routeIndex;
  }

  int ruleIndex() {
    return ruleIndex;
  }

  int matchIndex() {
    return matchIndex;
  }

  PathMatcher path() {
    return path;
  }

  boolean hasMethod() {
    return method != null;
  }

  int headerCount() {
    return headerNames.length;
  }

  int queryCount() {
    return queryNames.length;
  }

  @Override
  public String toString() {
    return route.metadata().qualifiedName() + "#rule" + ruleIndex + "/match" + matchIndex;
  }
}
