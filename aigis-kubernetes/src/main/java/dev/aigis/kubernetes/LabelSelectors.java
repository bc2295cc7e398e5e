package dev.aigis.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A Kubernetes label selector ({@code matchLabels} and {@code matchExpressions}) against an object's labels. */
final class LabelSelectors {

  private LabelSelectors() {}

  static boolean matches(JsonNode selector, Map<String, String> labels) {
    for (var entry : selector.path("matchLabels").properties()) {
      if (!entry.getValue().asText().equals(labels.get(entry.getKey()))) {
        return false;
      }
    }
    for (JsonNode expression : selector.path("matchExpressions")) {
      String key = expression.path("key").asText();
      java.util.Set<String> values = new java.util.HashSet<>();
      expression.path("values").forEach(v -> values.add(v.asText()));
      boolean ok = switch (expression.path("operator").asText()) {
        case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
        case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
        case "Exists" -> labels.containsKey(key);
        case "DoesNotExist" -> !labels.containsKey(key);
        default -> false; // an operator this version does not know selects nothing rather than everything
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
