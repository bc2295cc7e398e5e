package dev.aigis.model;

import java.util.Map;

/**
 * core/v1 Secret, with {@code data} already base64-decoded and merged with {@code stringData}. The
 * values are secrets: {@link #toString()} never prints them.
 */
public record Secret(ObjectMeta metadata, SourceRef source, String type, Map<String, byte[]> data) implements Resource {

  public static final String KIND = "Secret";

  public Secret {
    data = data == null ? Map.of() : Map.copyOf(data);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String toString() {
    return "Secret[" + metadata.qualifiedName() + ", keys=" + data.keySet() + "]";
  }
}
