package dev.aigis.core.routing;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Gateway API hostname rules: listener/route intersection and request host normalisation.
 * Hostnames are compared lowercased; {@code *.example.com} matches one or more labels in front of
 * {@code example.com} but not {@code example.com} itself.
 */
final class Hostnames {

  /** Stands for "any host" in an effective hostname list. */
  static final String ANY = "";

  private Hostnames() {}

  static boolean isWildcard(String hostname) {
    return hostname.startsWith("*.");
  }

  /**
   * The hostnames a route serves on a listener: the intersection of each route hostname with the
   * listener's, deduplicated, in route order. Returns {@code [ANY]} when neither side restricts
   * hosts and an empty list when the route has hostnames and none intersect (the route does not
   * attach).
   */
  static List<String> effective(String listenerHostname, List<String> routeHostnames) {
    String listener = listenerHostname == null || listenerHostname.isBlank() ? null : normalize(listenerHostname);
    if (routeHostnames.isEmpty()) {
      return List.of(listener == null ? ANY : listener);
    }
    Set<String> result = new LinkedHashSet<>();
    for (String raw : routeHostnames) {
      String route = normalize(raw);
      if (listener == null) {
        result.add(route);
      } else {
        intersect(listener, route).ifPresent(result::add);
      }
    }
    return List.copyOf(result);
  }

  /** The hostname that both patterns accept, or empty; for two wildcards the more specific one. */
  static Optional<String> intersect(String listener, String route) {
    if (listener.equals(route)) {
      return Optional.of(route);
    }
    boolean listenerWild = isWildcard(listener);
    boolean routeWild = isWildcard(route);
    if (listenerWild && routeWild) {
      // "*.a.example.com" lies inside "*.example.com": keep the narrower of the two.
      if (route.endsWith(listener.substring(1))) {
        return Optional.of(route);
      }
      return listener.endsWith(route.substring(1)) ? Optional.of(listener) : Optional.empty();
    }
    if (listenerWild) {
      return wildcardMatches(listener, route) ? Optional.of(route) : Optional.empty();
    }
    if (routeWild) {
      return wildcardMatches(route, listener) ? Optional.of(listener) : Optional.empty();
    }
    return Optional.empty();
  }

  /** {@code wildcard} is {@code *.suffix}; {@code host} must end in {@code .suffix} with at least one label before it. */
  static boolean wildcardMatches(String wildcard, String host) {
    int suffixLength = wildcard.length() - 1; // ".suffix"
    return host.length() > suffixLength && host.regionMatches(host.length() - suffixLength, wildcard, 1, suffixLength);
  }

  /**
   * The request host without port or trailing dot, lowercased; null when absent. Allocates only
   * when the host carries a port or upper-case letters.
   */
  static String requestHost(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    int end = host.length();
    if (host.charAt(0) == '[') { // IPv6 literal: the port, if any, follows ']'
      int close = host.indexOf(']');
      end = close < 0 ? end : close + 1;
    } else {
      int colon = host.indexOf(':');
      end = colon < 0 ? end : colon;
    }
    if (end > 0 && host.charAt(end - 1) == '.') {
      end--;
    }
    String bare = end == host.length() ? host : host.substring(0, end);
    return bare.isEmpty() ? null : bare.toLowerCase(Locale.ROOT);
  }

  private static String normalize(String hostname) {
    String lower = hostname.trim().toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
