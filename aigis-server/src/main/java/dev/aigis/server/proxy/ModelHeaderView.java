package dev.aigis.server.proxy;

import dev.aigis.core.routing.HeaderView;
import io.vertx.core.MultiMap;
import java.util.List;

/**
 * The request headers as routing sees them: the client's, with {@code X-Gateway-Model-Name} taken
 * from the body (absent when the body has no model, whatever the client sent). An overlay, so
 * routing costs no header copy.
 */
record ModelHeaderView(MultiMap headers, String model) implements HeaderView {

  @Override
  public String get(String name) {
    return isModelHeader(name) ? model : headers.get(name);
  }

  @Override
  public List<String> getAll(String name) {
    if (isModelHeader(name)) {
      return model == null ? List.of() : List.of(model);
    }
    return headers.getAll(name);
  }

  static boolean isModelHeader(String name) {
    return name.length() == RuntimeConfig.MODEL_HEADER.length() && name.equalsIgnoreCase(RuntimeConfig.MODEL_HEADER);
  }
}
