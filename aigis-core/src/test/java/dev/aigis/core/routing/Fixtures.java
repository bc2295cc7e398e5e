package dev.aigis.core.routing;

import dev.aigis.model.AIBackend;
import dev.aigis.model.Gateway;
import dev.aigis.model.HttpRoute;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.SourceRef;
import dev.aigis.model.gateway.Listener;
import dev.aigis.model.route.BackendRef;
import dev.aigis.model.route.ParentRef;
import dev.aigis.model.route.RouteMatch;
import dev.aigis.model.route.RouteMatch.HeaderMatch;
import dev.aigis.model.route.RouteMatch.MatchType;
import dev.aigis.model.route.RouteMatch.PathMatch;
import dev.aigis.model.route.RouteMatch.QueryParamMatch;
import dev.aigis.model.route.RouteRule;
import dev.aigis.model.snapshot.BoundListener;
import dev.aigis.model.snapshot.ResolvedBackend;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Builders for routing tests: records are built directly, no YAML. */
final class Fixtures {

  static final String GATEWAY = "gw";

  private Fixtures() {}

  static BoundListener listener(String name, int port, String hostname) {
    Listener listener = new Listener(name, port, Listener.Protocol.HTTP, hostname, null);
    Gateway gateway = new Gateway(ObjectMeta.named(GATEWAY), SourceRef.EMBEDDED, "aigis", List.of(listener));
    return new BoundListener(gateway, listener, null);
  }

  static BoundListener listener() {
    return listener("http", 8080, null);
  }

  static ParentRef parent() {
    return new ParentRef(null, null, GATEWAY, ObjectMeta.DEFAULT_NAMESPACE, null, null);
  }

  static HttpRoute route(String name, RouteRule... rules) {
    return route(ObjectMeta.named(name), List.of(), rules);
  }

  static HttpRoute route(ObjectMeta meta, List<String> hostnames, RouteRule... rules) {
    return new HttpRoute(meta, SourceRef.EMBEDDED, List.of(parent()), hostnames, List.of(rules));
  }

  static HttpRoute hostRoute(String name, List<String> hostnames, RouteRule... rules) {
    return route(ObjectMeta.named(name), hostnames, rules);
  }

  static ObjectMeta meta(String namespace, String name, Instant created) {
    return new ObjectMeta(name, namespace, null, null, created);
  }

  /** A rule whose single backendRef points at {@code backend} in the route's namespace. */
  static RouteRule rule(RouteMatch... matches) {
    return new RouteRule(null, List.of(matches), null, List.of(backendRef("backend", 1)), null);
  }

  static BackendRef backendRef(String name, int weight) {
    return new BackendRef(BackendRef.AIGIS_GROUP, BackendRef.AIBACKEND_KIND, name, null, null, weight);
  }

  static RouteMatch prefix(String value) {
    return match(new PathMatch(MatchType.PathPrefix, value));
  }

  static RouteMatch exact(String value) {
    return match(new PathMatch(MatchType.Exact, value));
  }

  static RouteMatch regex(String value) {
    return match(new PathMatch(MatchType.RegularExpression, value));
  }

  static RouteMatch match(PathMatch path) {
    return new RouteMatch(path, List.of(), List.of(), null);
  }

  static RouteMatch withMethod(RouteMatch m, String method) {
    return new RouteMatch(m.path(), m.headers(), m.queryParams(), method);
  }

  static RouteMatch withHeaders(RouteMatch m, HeaderMatch... headers) {
    return new RouteMatch(m.path(), List.of(headers), m.queryParams(), m.method());
  }

  static RouteMatch withQuery(RouteMatch m, QueryParamMatch... params) {
    return new RouteMatch(m.path(), m.headers(), List.of(params), m.method());
  }

  static HeaderMatch header(String name, String value) {
    return new HeaderMatch(MatchType.Exact, name, value);
  }

  static HeaderMatch headerRegex(String name, String value) {
    return new HeaderMatch(MatchType.RegularExpression, name, value);
  }

  static QueryParamMatch query(String name, String value) {
    return new QueryParamMatch(MatchType.Exact, name, value);
  }

  static ResolvedBackend backend(String namespace, String name) {
    AIBackend backend = new AIBackend(new ObjectMeta(name, namespace, null, null, null), SourceRef.EMBEDDED, null, null, null, null, false, null);
    return new ResolvedBackend(backend, null, null);
  }

  static Map<String, ResolvedBackend> backends(ResolvedBackend... resolved) {
    Map<String, ResolvedBackend> map = new LinkedHashMap<>();
    for (ResolvedBackend b : resolved) {
      map.put(b.key(), b);
    }
    return map;
  }

  static Map<String, ResolvedBackend> defaultBackends() {
    return backends(backend("default", "backend"));
  }

  static Router router(HttpRoute... routes) {
    return Router.compile(listener(), List.of(routes), defaultBackends());
  }

  /** {@code target} is path plus optional {@code ?query}; {@code headers} are name/value pairs. */
  static RequestHead request(String method, String host, String target, String... headers) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? null : target.substring(q + 1);
    return new RequestHead(method, host, path, query, headers(headers));
  }

  static RequestHead get(String target, String... headers) {
    return request("GET", "example.com", target, headers);
  }

  static HeaderView headers(String... pairs) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.computeIfAbsent(pairs[i].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(pairs[i + 1]);
    }
    return new HeaderView() {
      @Override
      public String get(String name) {
        List<String> values = map.get(name.toLowerCase(Locale.ROOT));
        return values == null ? null : values.getFirst();
      }

      @Override
      public List<String> getAll(String name) {
        return map.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
      }
    };
  }

  /** "namespace/name#ruleIndex" of the winner, or "none": one string makes failures readable. */
  static String winner(Router router, RequestHead head) {
    Optional<RouteMatchResult> result = router.match(head);
    return result.map(r -> r.route().metadata().qualifiedName() + "#" + r.ruleIndex()).orElse("none");
  }
}
