package dev.aigis.server.proxy;

import dev.aigis.core.routing.HeaderView;
import io.vertx.core.MultiMap;
import java.util.List;

/** The router's view of Vert.x headers; Vert.x MultiMaps are already case-insensitive. */
record VertxHeaderView(MultiMap headers) implements HeaderView {

  @Override
  public String get(String name) {
    return headers.get(name);
  }

  @Override
  public List<String> getAll(String name) {
    return headers.getAll(name);
  }
}
