package dev.aigis.core.provider.gemini.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import java.util.Locale;

/**
 * Gemini's OpenAPI-style {@code Schema} as the JSON Schema the pivot carries: {@code type} names
 * lower-cased ({@code OBJECT} to {@code object}), {@code nullable: true} folded into the type
 * ({@code ["string","null"]}), {@code propertyOrdering} dropped (JSON Schema has no such keyword);
 * everything else is the same keyword in both. Stateless.
 */
final class GeminiSchemas {

  private GeminiSchemas() {}

  static JsonNode toJsonSchema(JsonNode schema) {
    JsonNode copy = schema.deepCopy();
    convert(copy);
    return copy;
  }

  private static void convert(JsonNode node) {
    if (node.isArray()) {
      node.forEach(GeminiSchemas::convert);
      return;
    }
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    JsonNode type = object.get("type");
    if (type != null && type.isTextual()) {
      String lower = type.asText().toLowerCase(Locale.ROOT);
      if (object.path("nullable").asBoolean(false)) {
        object.set("type", Json.MAPPER.createArrayNode().add(lower).add("null"));
      } else {
        object.put("type", lower);
      }
    }
    object.remove("nullable");
    object.remove("propertyOrdering");
    for (var field : object.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (key.equals("properties") && value.isObject()) {
        value.forEach(GeminiSchemas::convert); // property names are data, not keywords
      } else if (key.equals("items") || key.equals("anyOf")) {
        convert(value);
      }
    }
  }
}
