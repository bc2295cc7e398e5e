package dev.aigis.model;

import java.util.Map;

/** core/v1 ConfigMap: plain-text {@code data}, such as an XBackend's CA bundle under {@code ca.crt}. */
public record ConfigMap(ObjectMeta metadata, SourceRef source, Map<String, String> data) implements Resource {

  public static final String KIND = "ConfigMap";

  public ConfigMap {
    data = data == null ? Map.of() : Map.copyOf(data);
  }

  @Override
  public String kind() {
    return KIND;
  }
}
