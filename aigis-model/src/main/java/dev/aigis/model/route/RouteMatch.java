package dev.aigis.model.route;

import java.util.List;

/** One HTTPRouteMatch: all of its conditions must hold. {@code method} is nullable (any method). */
public record RouteMatch(PathMatch path, List<HeaderMatch> headers, List<QueryParamMatch> queryParams, String method) {

  public static final RouteMatch DEFAULT = new RouteMatch(PathMatch.DEFAULT, List.of(), List.of(), null);

  public RouteMatch {
    path = path == null ? PathMatch.DEFAULT : path;
    headers = headers == null ? List.of() : List.copyOf(headers);
    queryParams = queryParams == null ? List.of() : List.copyOf(queryParams);
  }

  public enum MatchType { Exact, PathPrefix, RegularExpression }

  /** Path condition; the default is {@code PathPrefix /}. */
  public record PathMatch(MatchType type, String value) {
    public static final PathMatch DEFAULT = new PathMatch(MatchType.PathPrefix, "/");

    public PathMatch {
      type = type == null ? MatchType.PathPrefix : type;
      value = value == null ? "/" : value;
    }
  }

  /** Header condition; names compare case-insensitively, values {@code Exact} or {@code RegularExpression}. */
  public record HeaderMatch(MatchType type, String name, String value) {
    public HeaderMatch {
      type = type == null ? MatchType.Exact : type;
    }
  }

  /** Query parameter condition; names compare exactly. */
  public record QueryParamMatch(MatchType type, String name, String value) {
    public QueryParamMatch {
      type = type == null ? MatchType.Exact : type;
    }
  }
}
