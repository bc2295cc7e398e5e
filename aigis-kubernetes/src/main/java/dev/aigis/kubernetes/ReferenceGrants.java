package dev.aigis.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The ReferenceGrants of the cluster: a reference from a {@code from} kind in one namespace to a
 * {@code to} kind in another is permitted only by a grant in the target namespace that lists both
 * (and, when the grant's {@code to} names an object, only to that object).
 */
final class ReferenceGrants {

  private final List<ClusterObject> grants;

  ReferenceGrants(List<ClusterObject> grants) {
    this.grants = grants;
  }

  boolean permits(String fromGroup, String fromKind, String fromNamespace, String toGroup, String toKind,
      String toNamespace, String toName) {
    for (ClusterObject grant : grants) {
      if (!grant.namespace().equals(toNamespace)) {
        continue;
      }
      boolean from = false;
      for (JsonNode f : grant.spec().path("from")) {
        from |= f.path("group").asText("").equals(fromGroup) && f.path("kind").asText().equals(fromKind)
            && f.path("namespace").asText().equals(fromNamespace);
      }
      if (!from) {
        continue;
      }
      for (JsonNode t : grant.spec().path("to")) {
        if (t.path("group").asText("").equals(toGroup) && t.path("kind").asText().equals(toKind)
            && (!t.hasNonNull("name") || t.get("name").asText().equals(toName))) {
          return true;
        }
      }
    }
    return false;
  }
}
