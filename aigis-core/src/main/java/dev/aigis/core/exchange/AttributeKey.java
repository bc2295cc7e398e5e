package dev.aigis.core.exchange;

import java.util.Objects;

/**
 * A typed key into an exchange's {@link Attributes}: identity, decisions, tags that later
 * processors, the access log and the audit trail read. Keys are compared by identity, so two
 * processors share an attribute only by sharing the key constant.
 */
public final class AttributeKey<T> {

  private final String name;
  private final Class<T> type;

  private AttributeKey(String name, Class<T> type) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
  }

  public static <T> AttributeKey<T> of(String name, Class<T> type) {
    return new AttributeKey<>(name, type);
  }

  public String name() {
    return name;
  }

  T cast(Object value) {
    return type.cast(value);
  }

  @Override
  public String toString() {
    return name;
  }
}
