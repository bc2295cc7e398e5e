package dev.aigis.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.model.ConfigError;
import dev.aigis.model.Resource;
import dev.aigis.model.backend.ServiceAddresses;
import dev.aigis.model.load.ConfigLoader;
import dev.aigis.model.snapshot.ConfigSnapshot;
import dev.aigis.model.snapshot.PerResourceResult;
import dev.aigis.model.snapshot.SnapshotCompiler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One pass from the cluster's objects to what the data plane serves and what status says: Gateway API
 * admission ({@link Admission}), the model's loader on each admitted document, then the same compiler
 * file mode uses, per resource ({@link SnapshotCompiler#compilePerResource}). Pure apart from the
 * injected environment; the controller runs it on every change.
 *
 * @param snapshot what the data plane serves
 * @param statuses the status each object should have, keyed by object (only kinds that have status)
 */
public record Reconciliation(ConfigSnapshot snapshot, Map<ClusterObject, ObjectNode> statuses,
    Map<String, List<ConfigError>> rejected) {

  public static Reconciliation of(ClusterState state, Function<String, String> environment) {
    return of(state, environment, ServiceAddresses.CLUSTER_DNS);
  }

  /** @param services where a Service backend is reached: its cluster DNS name, unless a test says otherwise */
  public static Reconciliation of(ClusterState state, Function<String, String> environment, ServiceAddresses services) {
    Admission.Result admitted = Admission.admit(state);
    List<Resource> resources = new ArrayList<>();
    Map<String, List<ConfigError>> rejected = new LinkedHashMap<>();
    for (var entry : admitted.documents().entrySet()) {
      ObjectNode document = entry.getValue();
      String namespace = document.path("metadata").path("namespace").asText("");
      ConfigLoader.LoadResult loaded = ConfigLoader.loadTree(source(namespace), document);
      if (loaded.ok()) {
        resources.addAll(loaded.resources());
      } else {
        rejected.put(entry.getKey(), loaded.errors());
      }
    }
    PerResourceResult compiled = new SnapshotCompiler(environment, services).compilePerResource(resources);
    rejected.putAll(compiled.rejected());
    Map<ClusterObject, ObjectNode> statuses = StatusPlan.of(state, admitted, rejected, compiled.unresolved(), compiled.snapshot());
    return new Reconciliation(compiled.snapshot(), statuses, rejected);
  }

  /** The pseudo-file errors name: the namespace, since a cluster object has no file or line. */
  static String source(String namespace) {
    return namespace.isEmpty() ? "<cluster>" : "<cluster " + namespace + ">";
  }
}
