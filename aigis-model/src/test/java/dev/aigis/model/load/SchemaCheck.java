package dev.aigis.model.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The part of Kubernetes' OpenAPI validation the generated schemas use: type (with int32 range), enum,
 * minimum/maximum, pattern, maxLength, maxItems, required, properties (a field outside them is an error here, where the
 * API server would prune it: either way the field is lost) and additionalProperties. CEL rules are not
 * evaluated. Problems come back as {@code path: message}.
 */
final class SchemaCheck {

  private SchemaCheck() {}

  static List<String> problems(JsonNode schema, JsonNode value, String path) {
    List<String> problems = new ArrayList<>();
    check(schema, value, path, problems);
    return problems;
  }

  private static void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
    String type = schema.path("type").asText();
    boolean typed = switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber()
          && (!"int32".equals(schema.path("format").asText()) || value.canConvertToInt());
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> throw new IllegalArgumentException(path + ": schema without a known type: " + schema);
    };
    if (!typed) {
      problems.add(path + ": expected " + type + ", got " + value.getNodeType());
      return;
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode allowed : schema.get("enum")) {
        listed |= allowed.equals(value);
      }
      if (!listed) {
        problems.add(path + ": " + value + " is not one of " + schema.get("enum"));
      }
    }
    if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
      problems.add(path + ": " + value + " does not match " + schema.get("pattern").asText());
    }
    if (schema.has("minimum") && (value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0
        || schema.path("exclusiveMinimum").asBoolean() && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) == 0)) {
      problems.add(path + ": " + value + " is below the minimum " + schema.get("minimum"));
    }
    if (schema.has("maximum") && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
      problems.add(path + ": " + value + " is above the maximum " + schema.get("maximum"));
    }
    if (schema.has("maxLength") && value.asText().length() > schema.get("maxLength").asInt()) {
      problems.add(path + ": longer than " + schema.get("maxLength").asInt());
    }
    if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
      problems.add(path + ": more than " + schema.get("maxItems").asInt() + " items");
    }
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        check(schema.get("items"), value.get(i), path + "[" + i + "]", problems);
      }
    }
    if (value.isObject()) {
      for (JsonNode required : schema.path("required")) {
        if (!value.has(required.asText()) || value.get(required.asText()).isNull()) {
          problems.add(path + "." + required.asText() + ": required");
        }
      }
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        String at = path + "." + field.getKey();
        if (field.getValue().isNull()) {
          continue;
        }
        if (schema.has("additionalProperties")) {
          check(schema.get("additionalProperties"), field.getValue(), at, problems);
        } else if (schema.path("properties").has(field.getKey())) {
          check(schema.get("properties").get(field.getKey()), field.getValue(), at, problems);
        } else {
          problems.add(at + ": not in the schema");
        }
      }
    }
  }
}
