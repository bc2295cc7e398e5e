package dev.aigis.core.exchange.builtin;

import dev.aigis.core.processing.MutableHeaders;
import dev.aigis.model.route.RouteFilter;

/** Applies a Gateway API header modifier: set replaces, add appends, remove deletes. */
public final class HeaderModifiers {

  private HeaderModifiers() {}

  public static void apply(RouteFilter.HeaderModifier modifier, MutableHeaders headers) {
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
