package dev.aigis.core.routing;

import dev.aigis.model.HttpRoute;
import dev.aigis.model.snapshot.BoundListener;
import dev.aigis.model.snapshot.ResolvedBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gateway API HTTPRoute matching for one listener, compiled once per configuration snapshot and
 * then read concurrently by every request thread (it is immutable).
 *
 * <p>Candidates are grouped by the hostname they serve on this listener: an exact hostname, a
 * wildcard, or any host. A request tries the exact tier for its host, then each wildcard that
 * covers the host from the longest suffix to the shortest, then the any-host tier. Within a tier
 * the matches are presorted by {@link Precedence#ORDER} and the first that succeeds wins, so a
 * request that no exact-host rule accepts still falls through to wildcard and any-host rules.
 *
 * <p>Choices the spec leaves open:
 * <ul>
 *   <li>RegularExpression path matches are implementation-specific. Here they rank after every
 *       Exact and every PathPrefix match (including {@code /}), longer pattern first, and must
 *       match the whole path.
 *   <li>When a header is repeated, only its first value is compared.
 *   <li>Query parameter names and values are percent-decoded ({@code +} stays literal) and only
 *       the first value of a repeated parameter is compared. The query is parsed only when a
 *       candidate with query matches has already passed its path, method and header checks.
 *   <li>A route without creationTimestamp counts as younger than any route that has one.
 * </ul>
 *
 * <p>{@link #match} allocates nothing of its own beyond stripping a port from the host and the
 * {@link com.google.re2j.Matcher} a regex needs; results are prebuilt.
 */
public final class Router {

  private static final CompiledMatch[] NONE = new CompiledMatch[0];

  private final Map<String, CompiledMatch[]> exactHosts;
  /** Wildcard hostnames ({@code *.suffix}), longest first, parallel to {@link #wildcardTiers}. */
  private final String[] wildcards;
  private final CompiledMatch[][] wildcardTiers;
  private final CompiledMatch[] anyHost;
  private final List<HttpRoute> attachedRoutes;

  private Router(Map<String, CompiledMatch[]> exactHosts, String[] wildcards, CompiledMatch[][] wildcardTiers,
      CompiledMatch[] anyHost, List<HttpRoute> attachedRoutes) {
    this.exactHosts = exactHosts;
    this.wildcards = wildcards;
    this.wildcardTiers = wildcardTiers;
    this.anyHost = anyHost;
    this.attachedRoutes = attachedRoutes;
  }

  /** The routes attached to this listener, in configuration order. */
  public List<HttpRoute> attachedRoutes() {
    return attachedRoutes;
  }

  /**
   * Compiles the routes attached to {@code listener}. Routes that do not attach (parentRefs, or
   * no hostname intersecting the listener's) are skipped. {@code routes} order is the last
   * tie-breaker; {@code backends} is keyed as {@link dev.aigis.model.route.BackendRef#key} says.
   *
   * @throws com.google.re2j.PatternSyntaxException if a regex does not compile (validation should have caught it)
   */
  public static Router compile(BoundListener listener, List<HttpRoute> routes, Map<String, ResolvedBackend> backends) {
    Map<String, List<CompiledMatch>> byHostname = new LinkedHashMap<>();
    List<HttpRoute> attached = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      HttpRoute route = routes.get(i);
      if (!Attachment.attaches(route, listener)) {
        continue;
      }
      List<String> hostnames = Hostnames.effective(listener.listener().hostname(), route.hostnames());
      if (hostnames.isEmpty()) {
        continue;
      }
      attached.add(route);
      List<CompiledMatch> compiled = CompiledMatch.of(route, i, backends);
      for (String hostname : hostnames) {
        byHostname.computeIfAbsent(hostname, h -> new ArrayList<>()).addAll(compiled);
      }
    }

    Map<String, CompiledMatch[]> exact = new HashMap<>();
    List<String> wildcards = new ArrayList<>();
    CompiledMatch[] any = NONE;
    for (Map.Entry<String, List<CompiledMatch>> entry : byHostname.entrySet()) {
      String hostname = entry.getKey();
      CompiledMatch[] tier = sorted(entry.getValue());
      if (hostname.equals(Hostnames.ANY)) {
        any = tier;
      } else if (Hostnames.isWildcard(hostname)) {
        wildcards.add(hostname);
      } else {
        exact.put(hostname, tier);
      }
    }
    wildcards.sort(Comparator.comparingInt(String::length).reversed());
    CompiledMatch[][] wildcardTiers = new CompiledMatch[wildcards.size()][];
    for (int i = 0; i < wildcards.size(); i++) {
      wildcardTiers[i] = sorted(byHostname.get(wildcards.get(i)));
    }
    return new Router(Map.copyOf(exact), wildcards.toArray(String[]::new), wildcardTiers, any, List.copyOf(attached));
  }

  private static CompiledMatch[] sorted(List<CompiledMatch> matches) {
    CompiledMatch[] array = matches.toArray(CompiledMatch[]::new);
    Arrays.sort(array, Precedence.ORDER);
    return array;
  }

  /** The highest-precedence match for the request, or empty when no rule accepts it (404). */
  public Optional<RouteMatchResult> match(RequestHead head) {
    String host = Hostnames.requestHost(head.host());
    QueryParams query = null;
    // Tier 0 is the exact host, 1..n the wildcards in order, n+1 any host.
    for (int tier = 0; tier <= wildcards.length + 1; tier++) {
      CompiledMatch[] candidates = tier(tier, host);
      for (CompiledMatch candidate : candidates) {
        if (!candidate.matchesHead(head)) {
          continue;
        }
        if (candidate.needsQuery()) {
          if (query == null) {
            query = QueryParams.parse(head.rawQuery());
          }
          if (!candidate.matchesQuery(query)) {
            continue;
          }
        }
        return candidate.result();
      }
    }
    return Optional.empty();
  }

  private CompiledMatch[] tier(int tier, String host) {
    if (tier == wildcards.length + 1) {
      return anyHost;
    }
    if (host == null) {
      return NONE;
    }
    if (tier == 0) {
      return exactHosts.getOrDefault(host, NONE);
    }
    return Hostnames.wildcardMatches(wildcards[tier - 1], host) ? wildcardTiers[tier - 1] : NONE;
  }

  @Override
  public String toString() {
    return "Router[exact=" + exactHosts.keySet() + ", wildcards=" + List.of(wildcards) + ", anyHost=" + anyHost.length + " matches]";
  }
}
