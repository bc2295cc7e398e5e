package dev.aigis.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * One object as the API server has it, as a Jackson tree (the same kind of tree the YAML loader
 * reads): kind, namespace, name, generation and the whole object, status included. Immutable by
 * convention: nobody writes to {@link #tree}; callers that change it copy it first.
 */
public record ClusterObject(WatchedKind kind, String namespace, String name, long generation, ObjectNode tree) {

  static final ObjectMapper JSON = new ObjectMapper();

  /** fabric8 serialises with Jackson 3; the model reads Jackson 2 trees, so the object crosses as JSON text. */
  static ClusterObject of(WatchedKind kind, GenericKubernetesResource resource) {
    try {
      ObjectNode tree = (ObjectNode) JSON.readTree(Serialization.asJson(resource));
      Long generation = resource.getMetadata().getGeneration();
      String namespace = resource.getMetadata().getNamespace();
      return new ClusterObject(kind, namespace == null ? "" : namespace, resource.getMetadata().getName(),
          generation == null ? 0 : generation, tree);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("unreadable " + kind.kind() + " from the API server", e);
    }
  }

  public JsonNode spec() {
    return tree.path("spec");
  }

  /** {@code Kind/namespace/name}, as {@link dev.aigis.model.snapshot.PerResourceResult#identity} names resources. */
  public String identity() {
    return kind.kind() + "/" + namespace + "/" + name;
  }

  public java.util.Map<String, String> labels() {
    java.util.Map<String, String> labels = new java.util.HashMap<>();
    tree.path("metadata").path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }
}
