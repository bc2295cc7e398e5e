package dev.aigis.model;

import java.time.Instant;
import java.util.Map;

/** The Kubernetes object metadata Aigis reads: identity, labels and the creation time used for precedence ties. */
public record ObjectMeta(
    String name,
    String namespace,
    Map<String, String> labels,
    Map<String, String> annotations,
    Instant creationTimestamp) {

  public static final String DEFAULT_NAMESPACE = "default";

  public ObjectMeta {
    namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public static ObjectMeta named(String name) {
    return new ObjectMeta(name, null, null, null, null);
  }

  /** {@code namespace/name}, the key Gateway API uses to order otherwise equal routes. */
  public String qualifiedName() {
    return namespace + "/" + name;
  }
}
