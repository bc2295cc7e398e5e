package dev.aigis.server.processing;

import dev.aigis.core.processing.MutableHeaders;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;

/**
 * The request headers as processors see them: reads go to the client's headers until the first
 * change, which copies them once, so processors never change what the client sent and exchanges
 * whose processors only read pay no copy.
 */
public final class CopyOnWriteHeaders implements MutableHeaders {

  private MultiMap map;
  private boolean copied;

  public CopyOnWriteHeaders(MultiMap original) {
    this.map = original;
  }

  private MultiMap writable() {
    if (!copied) {
      map = MultiMap.caseInsensitiveMultiMap().addAll(map);
      copied = true;
    }
    return map;
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
    writable().set(name, value);
  }

  @Override
  public void add(String name, String value) {
    writable().add(name, value);
  }

  @Override
  public void remove(String name) {
    if (map.contains(name)) {
      writable().remove(name);
    }
  }

  @Override
  public Iterable<Map.Entry<String, String>> entries() {
    return map;
  }
}
