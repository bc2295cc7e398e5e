package dev.aigis.model.load;

import dev.aigis.model.EgressPolicy;
import dev.aigis.model.Names;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.SourceRef;
import java.util.List;

/**
 * Reads the spec of an aigis.dev/v1alpha1 EgressPolicy. Entries are exact hostnames or {@code *.}
 * and a suffix; a bare {@code *} or a wildcard in the middle would allow more than anyone reads
 * into it, so they are refused.
 */
final class EgressPolicyReader {

  private EgressPolicyReader() {}

  static EgressPolicy read(Fields doc, ObjectMeta metadata, SourceRef source) {
    Fields spec = doc.requiredObject("spec", "targetRef", "allowedHostnames");
    if (spec == null) {
      return null;
    }
    var targetRef = PolicyFields.targetRef(spec);
    List<String> hosts = spec.requiredStrings("allowedHostnames");
    if (hosts != null && hosts.isEmpty()) {
      spec.error("allowedHostnames", "at least one hostname is required: a policy allowing none would refuse every backend");
    }
    if (hosts != null) {
      for (int i = 0; i < hosts.size(); i++) {
        String host = hosts.get(i);
        if (!Names.isHostname(host, true)) {
          doc.issues().add(FieldPaths.index(spec.path("allowedHostnames"), i), "invalid hostname \"" + host
              + "\": a DNS name, or *. followed by one (which matches its subdomains only)");
        }
      }
    }
    return new EgressPolicy(metadata, source, targetRef, hosts);
  }
}
