package dev.aigis.server.processing;

import dev.aigis.core.processing.MutableHeaders;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;

/** Processor-facing headers over a Vert.x MultiMap (already case-insensitive). */
public record VertxMutableHeaders(MultiMap map) implements MutableHeaders {

  /** A private copy of {@code headers}, so processors never change what the client sent. */
  public static VertxMutableHeaders copyOf(MultiMap headers) {
    return new VertxMutableHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers));
  }

  @Override
  public String get(String name) {
    return map.get(name);
  }

  @Override
  public List<String> getAll(String name) {
    return map.getAll(name);
  }

  @Override
  public void set(String name, String value) {
    map.set(name, value);
  }

  @Override
  public void add(String name, String value) {
    map.add(name, value);
  }

  @Override
  public void remove(String name) {
    map.remove(name);
  }

  @Override
  public Iterable<Map.Entry<String, String>> entries() {
    return map;
  }
}
