package dev.aigis.server.processing;

import dev.aigis.core.processing.MutableHeaders;
import io.vertx.core.MultiMap;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request headers as processors see them, without copying the client's: changes go to a small
 * overlay of the names they touch (the model-header step sets one on almost every request), reads
 * look at the overlay first, and {@link #entries()} yields the client's headers that were not
 * touched followed by the overlay's. Once more than {@link #MAX_OVERLAY} names are touched (a chain
 * of processors writing headers) the headers are copied once and changed in place, since scanning
 * a longer overlay on every read would cost more than the copy. Processors never change what the
 * client sent. Confined to the exchange's thread.
 */
public final class CopyOnWriteHeaders implements MutableHeaders {

  static final int MAX_OVERLAY = 2;

  private final MultiMap original;
  /** The private copy, once the overlay outgrew {@link #MAX_OVERLAY}; then the only state. */
  private MultiMap copy;
  /** Lower-cased name to its values now (an empty list: removed), in first-touch order. */
  private List<Map.Entry<String, List<String>>> overlay;

  public CopyOnWriteHeaders(MultiMap original) {
    this.original = original;
  }

  private List<String> touched(String name) {
    if (overlay == null) {
      return null;
    }
    for (Map.Entry<String, List<String>> entry : overlay) {
      if (entry.getKey().equalsIgnoreCase(name)) {
        return entry.getValue();
      }
    }
    return null;
  }

  /** The overlay's values for {@code name}, starting from the client's when the name is new. */
  private List<String> touch(String name, boolean keepOriginal) {
    List<String> values = touched(name);
    if (values == null) {
      if (overlay != null && overlay.size() == MAX_OVERLAY) {
        materialise();
        return null;
      }
      values = keepOriginal ? new ArrayList<>(original.getAll(name)) : new ArrayList<>(1);
      if (overlay == null) {
        overlay = new ArrayList<>(2);
      }
      overlay.add(new AbstractMap.SimpleImmutableEntry<>(name.toLowerCase(Locale.ROOT), values));
    }
    return values;
  }

  /** Copies the client's headers with the overlay applied; from now on changes go to the copy. */
  private void materialise() {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> header : entries()) {
      out.add(header.getKey(), header.getValue());
    }
    copy = out;
    overlay = null;
  }

  @Override
  public String get(String name) {
    if (copy != null) {
      return copy.get(name);
    }
    List<String> values = touched(name);
    if (values != null) {
      return values.isEmpty() ? null : values.getFirst();
    }
    return original.get(name);
  }

  @Override
  public List<String> getAll(String name) {
    if (copy != null) {
      return copy.getAll(name);
    }
    List<String> values = touched(name);
    return values != null ? List.copyOf(values) : original.getAll(name);
  }

  @Override
  public void set(String name, String value) {
    List<String> values = copy == null ? touch(name, false) : null;
    if (values == null) {
      copy.set(name, value);
      return;
    }
    values.clear();
    values.add(value);
  }

  @Override
  public void add(String name, String value) {
    List<String> values = copy == null ? touch(name, true) : null;
    if (values == null) {
      copy.add(name, value);
      return;
    }
    values.add(value);
  }

  @Override
  public void remove(String name) {
    if (copy != null) {
      copy.remove(name);
      return;
    }
    if (touched(name) != null || original.contains(name)) {
      List<String> values = touch(name, false);
      if (values == null) {
        copy.remove(name);
      } else {
        values.clear();
      }
    }
  }

  @Override
  public Iterable<Map.Entry<String, String>> entries() {
    if (copy != null) {
      return copy;
    }
    if (overlay == null) {
      return original;
    }
    return () -> new Iterator<>() {
      private final Iterator<Map.Entry<String, String>> base = original.iterator();
      private final Iterator<Map.Entry<String, List<String>>> changed = overlay.iterator();
      private Map.Entry<String, List<String>> current;
      private int index;
      private Map.Entry<String, String> next = advance();

      private Map.Entry<String, String> advance() {
        while (base.hasNext()) {
          Map.Entry<String, String> header = base.next();
          if (touched(header.getKey()) == null) {
            return header;
          }
        }
        while (true) {
          if (current != null && index < current.getValue().size()) {
            return new AbstractMap.SimpleImmutableEntry<>(current.getKey(), current.getValue().get(index++));
          }
          if (!changed.hasNext()) {
            return null;
          }
          current = changed.next();
          index = 0;
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Map.Entry<String, String> next() {
        if (next == null) {
          throw new java.util.NoSuchElementException();
        }
        Map.Entry<String, String> out = next;
        next = advance();
        return out;
      }
    };
  }
}
