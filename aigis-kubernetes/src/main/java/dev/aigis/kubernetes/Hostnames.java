package dev.aigis.kubernetes;

import java.util.List;

/** Gateway API hostname intersection between a listener and a route (both may be wildcards such as {@code *.example.com}). */
final class Hostnames {

  private Hostnames() {}

  /** Whether a route with {@code routeHostnames} (none means any) can receive requests for {@code listener}. */
  static boolean intersect(String listener, List<String> routeHostnames) {
    if (routeHostnames.isEmpty()) {
      return true;
    }
    return routeHostnames.stream().anyMatch(route -> matches(listener, route) || matches(route, listener));
  }

  /** Whether {@code pattern} (exact or {@code *.suffix}) covers {@code host} (exact, or a narrower wildcard). */
  private static boolean matches(String pattern, String host) {
    if (pattern.equalsIgnoreCase(host)) {
      return true;
    }
    if (pattern.startsWith("*.")) {
      String suffix = pattern.substring(1).toLowerCase(java.util.Locale.ROOT);
      String candidate = host.toLowerCase(java.util.Locale.ROOT);
      return candidate.endsWith(suffix) && candidate.length() > suffix.length();
    }
    return false;
  }
}
