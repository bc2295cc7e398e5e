package dev.aigis.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes planned statuses through the status subresource, only where they differ from what the object
 * has: an unchanged status is not written, so a status write (which the informers see as a change) does
 * not start an endless loop. {@code lastTransitionTime} is kept from the current condition of the same
 * type when its status did not change. HTTPRoute parents owned by other controllers are kept.
 */
final class StatusWriter {

  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

  private final KubernetesClient client;
  private final InstantSource clock;

  StatusWriter(KubernetesClient client, InstantSource clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Writes what changed; returns how many objects were written, or throws the first failure after trying all. */
  int write(Map<ClusterObject, ObjectNode> statuses) {
    int written = 0;
    KubernetesClientException failure = null;
    for (var entry : statuses.entrySet()) {
      ClusterObject object = entry.getKey();
      JsonNode current = object.tree().path("status");
      ObjectNode desired = normalised(merge(entry.getValue(), current));
      if (desired.equals(current)) {
        continue;
      }
      try {
        ObjectNode updated = object.tree().deepCopy();
        updated.set("status", desired);
        GenericKubernetesResource resource = Serialization.unmarshal(updated.toString(), GenericKubernetesResource.class);
        var operation = client.genericKubernetesResources(context(object.kind()));
        (object.kind().namespaced() ? operation.inNamespace(object.namespace()) : operation)
            .resource(resource).updateStatus();
        written++;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404 || e.getCode() == 409) {
          // Deleted, or changed since the informer saw it: either way the informer's next event
          // triggers another reconcile, which writes against the newer object.
          LOG.debug("status of {} not written ({}): the object changed", object.identity(), e.getCode());
        } else {
          LOG.debug("status of {} not written: {}", object.identity(), e.getMessage());
          failure = failure == null ? e : failure;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return written;
  }

  /**
   * The tree as it reads back from JSON: a number read back is an int node where one built here may be
   * a long node, and the two are not equal, which would rewrite an unchanged status forever.
   */
  private static ObjectNode normalised(ObjectNode status) {
    try {
      return (ObjectNode) ClusterObject.JSON.readTree(status.toString());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ResourceDefinitionContext context(WatchedKind kind) {
    return kind.context();
  }

  /** The desired status with transition times filled in and other controllers' route parents kept. */
  private ObjectNode merge(ObjectNode desired, JsonNode current) {
    ObjectNode merged = desired.deepCopy();
    times(merged.path("conditions"), current.path("conditions"));
    for (JsonNode listener : merged.path("listeners")) {
      times(listener.path("conditions"), find(current.path("listeners"), "name", listener.path("name")).path("conditions"));
    }
    for (JsonNode parent : merged.path("parents")) {
      times(parent.path("conditions"), find(current.path("parents"), "parentRef", parent.path("parentRef")).path("conditions"));
    }
    for (JsonNode ancestor : merged.path("ancestors")) {
      times(ancestor.path("conditions"),
          find(current.path("ancestors"), "ancestorRef", ancestor.path("ancestorRef")).path("conditions"));
    }
    if (merged.path("parents") instanceof ArrayNode parents) {
      for (JsonNode other : current.path("parents")) {
        if (!Admission.CONTROLLER_NAME.equals(other.path("controllerName").asText())) {
          parents.add(other.deepCopy());
        }
      }
    }
    return merged;
  }

  private void times(JsonNode desired, JsonNode current) {
    String now = Instant.from(clock.instant()).truncatedTo(ChronoUnit.SECONDS).toString();
    for (JsonNode condition : desired) {
      JsonNode before = find(current, "type", condition.path("type"));
      boolean same = before.path("status").equals(condition.path("status")) && before.hasNonNull("lastTransitionTime");
      ((ObjectNode) condition).put("lastTransitionTime", same ? before.get("lastTransitionTime").asText() : now);
    }
  }

  private static JsonNode find(JsonNode array, String field, JsonNode value) {
    for (JsonNode element : array) {
      if (element.path(field).equals(value)) {
        return element;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
