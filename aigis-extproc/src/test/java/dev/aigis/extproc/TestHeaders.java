package dev.aigis.extproc;

import dev.aigis.core.processing.MutableHeaders;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An ordered, case-insensitive header list, as a server adapter would provide. */
final class TestHeaders implements MutableHeaders {

  private final List<Map.Entry<String, String>> entries = new ArrayList<>();

  static TestHeaders of(String... namesAndValues) {
    var headers = new TestHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  @Override
  public String get(String name) {
    return entries.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst()
        .orElse(null);
  }

  @Override
  public List<String> getAll(String name) {
    return entries.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
  }

  @Override
  public void set(String name, String value) {
    remove(name);
    add(name, value);
  }

  @Override
  public void add(String name, String value) {
    entries.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
  }

  @Override
  public void remove(String name) {
    entries.removeIf(e -> e.getKey().equalsIgnoreCase(name));
  }

  @Override
  public Iterable<Map.Entry<String, String>> entries() {
    return List.copyOf(entries);
  }
}
