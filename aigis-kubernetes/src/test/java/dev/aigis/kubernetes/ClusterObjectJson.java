package dev.aigis.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;

/** A fabric8 object as a Jackson 2 tree, for assertions. */
final class ClusterObjectJson {

  private ClusterObjectJson() {}

  static JsonNode of(Object object) {
    try {
      return ClusterObject.JSON.readTree(Serialization.asJson(object));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
