package dev.aigis.model;

import dev.aigis.model.route.ParentRef;
import dev.aigis.model.route.RouteRule;
import java.util.List;

/** gateway.networking.k8s.io/v1 HTTPRoute. */
public record HttpRoute(
    ObjectMeta metadata, SourceRef source, List<ParentRef> parentRefs, List<String> hostnames, List<RouteRule> rules)
    implements Resource {

  public static final String KIND = "HTTPRoute";

  public HttpRoute {
    parentRefs = parentRefs == null ? List.of() : List.copyOf(parentRefs);
    hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  @Override
  public String kind() {
    return KIND;
  }
}
