package dev.aigis.server.proxy;

import dev.aigis.model.route.RouteFilter;
import io.vertx.core.MultiMap;

/** Applies Gateway API header modifiers to a Vert.x header map. */
final class HeaderFilters {

  private HeaderFilters() {}

  static void apply(RouteFilter.HeaderModifier modifier, MultiMap headers) {
    for (RouteFilter.HeaderValue set : modifier.set()) {
      headers.set(set.name(), set.value());
    }
    for (RouteFilter.HeaderValue add : modifier.add()) {
      headers.add(add.name(), add.value());
    }
    for (String remove : modifier.remove()) {
      headers.remove(remove);
    }
  }
}
