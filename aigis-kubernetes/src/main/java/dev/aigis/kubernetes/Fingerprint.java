package dev.aigis.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What of the cluster's objects the data plane depends on, as one string: every object without its
 * status and the metadata the server changes on each write, so that a status write does not count as
 * a change of configuration.
 */
final class Fingerprint {

  private Fingerprint() {}

  static String of(ClusterState state) {
    StringBuilder out = new StringBuilder();
    state.objects().forEach((kind, objects) -> {
      for (ClusterObject object : objects) {
        ObjectNode copy = object.tree().deepCopy();
        copy.remove("status");
        if (copy.path("metadata") instanceof ObjectNode metadata) {
          metadata.remove(java.util.List.of("resourceVersion", "managedFields", "generation"));
        }
        out.append(copy).append('\n');
      }
    });
    return out.toString();
  }
}
