package dev.aigis.core.processing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small list-backed {@link MutableHeaders}, for adapters that have no header map of their own
 * (the ext_proc server) and for tests. Lookups scan the list, which is faster than hashing for the
 * dozen headers a request carries. Not thread-safe.
 */
public final class HeaderList implements MutableHeaders {

  private final ArrayList<String> names;
  private final ArrayList<String> values;

  public HeaderList() {
    this.names = new ArrayList<>(16);
    this.values = new ArrayList<>(16);
  }

  /** Alternating names and values: {@code HeaderList.of("content-type", "application/json")}. */
  public static HeaderList of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must alternate");
    }
    HeaderList headers = new HeaderList();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  @Override
  public String get(String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return values.get(i);
      }
    }
    return null;
  }

  @Override
  public List<String> getAll(String name) {
    List<String> all = null;
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        if (all == null) {
          all = new ArrayList<>(2);
        }
        all.add(values.get(i));
      }
    }
    return all == null ? List.of() : all;
  }

  @Override
  public void set(String name, String value) {
    remove(name);
    add(name, value);
  }

  @Override
  public void add(String name, String value) {
    names.add(name);
    values.add(value);
  }

  @Override
  public void remove(String name) {
    for (int i = names.size() - 1; i >= 0; i--) {
      if (names.get(i).equalsIgnoreCase(name)) {
        names.remove(i);
        values.remove(i);
      }
    }
  }

  @Override
  public Iterable<Map.Entry<String, String>> entries() {
    List<Map.Entry<String, String>> entries = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      entries.add(Map.entry(names.get(i), values.get(i)));
    }
    return entries;
  }

  public int size() {
    return names.size();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < names.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(names.get(i)).append('=').append(values.get(i));
    }
    return sb.append(']').toString();
  }
}
