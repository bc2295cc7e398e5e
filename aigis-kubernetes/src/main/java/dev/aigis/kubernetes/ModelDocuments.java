package dev.aigis.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Turns an object from the API server into the document a configuration file would hold, for the
 * model's loader: apiVersion, kind, the metadata fields a file may set, and spec (data for Secrets and
 * ConfigMaps). Server-set metadata (uid, resourceVersion, managedFields...) and status are dropped,
 * since the loader refuses fields it does not know.
 */
final class ModelDocuments {

  private static final List<String> METADATA = List.of("name", "namespace", "labels", "annotations", "creationTimestamp");
  private static final List<String> BODY = List.of("spec", "type", "data", "stringData", "binaryData", "immutable");

  private ModelDocuments() {}

  static ObjectNode of(ClusterObject object) {
    ObjectNode document = ClusterObject.JSON.createObjectNode();
    document.put("apiVersion", object.kind().modelApiVersion());
    document.put("kind", object.kind().kind());
    ObjectNode metadata = document.putObject("metadata");
    for (String field : METADATA) {
      if (object.tree().path("metadata").hasNonNull(field)) {
        metadata.set(field, object.tree().path("metadata").get(field).deepCopy());
      }
    }
    // kubectl's last-applied annotation repeats the whole object: noise for the model, and for Secrets a copy of the secret.
    if (metadata.path("annotations") instanceof ObjectNode annotations) {
      annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
    }
    for (String field : BODY) {
      if (object.tree().hasNonNull(field)) {
        document.set(field, object.tree().get(field).deepCopy());
      }
    }
    return document;
  }
}
