package dev.aigis.core.exchange;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The typed attributes of one exchange. Confined to the exchange's thread like the rest of its
 * state; {@link #snapshot()} gives the immutable copy that completion hooks receive.
 */
public final class Attributes {

  private Map<AttributeKey<?>, Object> values;

  public <T> T get(AttributeKey<T> key) {
    return values == null ? null : key.cast(values.get(key));
  }

  public <T> void put(AttributeKey<T> key, T value) {
    Objects.requireNonNull(value, "value");
    if (values == null) {
      values = new IdentityHashMap<>(4);
    }
    values.put(key, value);
  }

  public void remove(AttributeKey<?> key) {
    if (values != null) {
      values.remove(key);
    }
  }

  /** Name to value, for the completion summary and logs. */
  public Map<String, Object> snapshot() {
    if (values == null || values.isEmpty()) {
      return Map.of();
    }
    var copy = new java.util.LinkedHashMap<String, Object>();
    values.forEach((k, v) -> copy.put(k.name(), v));
    return Map.copyOf(copy);
  }
}
