package dev.aigis.server.proxy;

import dev.aigis.core.routing.RequestHead;
import dev.aigis.core.routing.RouteMatchResult;
import dev.aigis.core.routing.Router;
import dev.aigis.model.gateway.Listener;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every listener bound to one port (Gateway API lets several listeners share a port when their
 * hostnames differ), ordered most specific hostname first, each with its compiled router.
 */
public final class PortRoutes {

  /** A listener, the Gateway it belongs to ({@code namespace/name}) and its compiled router. */
  public record ListenerRouter(String gateway, Listener listener, Router router) {}

  private final List<ListenerRouter> listeners;
  private final List<String> models;

  PortRoutes(List<ListenerRouter> listeners, List<String> models) {
    this.listeners = listeners.stream().sorted(Comparator.comparingInt(PortRoutes::specificity).reversed()).toList();
    this.models = List.copyOf(models);
  }

  List<ListenerRouter> listeners() {
    return listeners;
  }

  /** Models the routes on this port serve, for {@code GET /v1/models}. */
  List<String> models() {
    return models;
  }

  Optional<RouteMatchResult> match(RequestHead head) {
    ListenerRouter listener = listenerFor(head.host());
    return listener == null ? Optional.empty() : listener.router().match(head);
  }

  /** The listener a request with this Host belongs to (most specific hostname first), or null. */
  ListenerRouter listenerFor(String requestHost) {
    String host = normalise(requestHost);
    for (ListenerRouter candidate : listeners) {
      if (hostMatches(candidate.listener().hostname(), host)) {
        return candidate;
      }
    }
    return null;
  }

  private static int specificity(ListenerRouter router) {
    String hostname = router.listener().hostname();
    if (hostname == null) {
      return 0;
    }
    return hostname.startsWith("*.") ? hostname.length() : 10_000 + hostname.length();
  }

  private static boolean hostMatches(String listenerHostname, String host) {
    if (listenerHostname == null) {
      return true;
    }
    if (host == null) {
      return false;
    }
    String pattern = listenerHostname.toLowerCase(Locale.ROOT);
    if (pattern.startsWith("*.")) {
      return host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1;
    }
    return host.equals(pattern);
  }

  public static String normalise(String host) {
    if (host == null) {
      return null;
    }
    int end = host.length();
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close > 0 ? host.substring(0, close + 1) : host;
    }
    int colon = host.lastIndexOf(':');
    if (colon >= 0) {
      end = colon;
    }
    return host.substring(0, end).toLowerCase(Locale.ROOT);
  }
}
