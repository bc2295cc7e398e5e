package dev.aigis.core.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.PivotRequests;
import dev.aigis.core.provider.TranslationException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * A JSON Schema (OpenAI tool parameters, {@code response_format.json_schema.schema}) as Gemini's
 * {@code Schema}, an OpenAPI 3.0 subset that has no references and refuses keywords it does not
 * know. Stateless.
 *
 * <ul>
 *   <li>{@code $ref} to {@code #/$defs/<name>} or {@code #/definitions/<name>} is replaced by a
 *       copy of the definition (keywords beside the {@code $ref}, such as a description, kept); a
 *       definition that refers to itself, directly or through others, cannot be inlined and is a
 *       400, as is a reference elsewhere.
 *   <li>{@code type: [t, "null"]} becomes {@code type: t, nullable: true}; several non-null types
 *       become {@code anyOf}; {@code const} becomes a one-value {@code enum}; {@code oneOf} becomes
 *       {@code anyOf} (Gemini has no exclusive choice); a {@code {"type": "null"}} choice makes the
 *       schema {@code nullable}, and a single remaining choice is merged into the schema.
 *   <li>Kept: {@link #KEPT}. Everything else is removed at every depth, among them {@code $schema},
 *       {@code $id}, {@code $defs}, {@code definitions}, {@code additionalProperties},
 *       {@code strict}, {@code allOf}, {@code not}, {@code if}/{@code then}/{@code else},
 *       {@code patternProperties}, {@code exclusiveMinimum}/{@code exclusiveMaximum},
 *       {@code multipleOf}, {@code uniqueItems}, {@code examples}, {@code $comment}.
 * </ul>
 */
final class GeminiSchema {

  /** The keywords Gemini's {@code Schema} accepts. */
  static final Set<String> KEPT = Set.of("type", "format", "title", "description", "nullable", "enum", "items",
      "properties", "required", "minItems", "maxItems", "minProperties", "maxProperties", "minLength", "maxLength",
      "pattern", "minimum", "maximum", "anyOf", "propertyOrdering", "default", "example");

  private final ObjectNode definitions = Json.MAPPER.createObjectNode();
  private final Deque<String> expanding = new ArrayDeque<>();
  private final String param;

  private GeminiSchema(JsonNode root, String param) {
    this.param = param;
    for (String key : new String[] {"definitions", "$defs"}) {
      if (root.path(key).isObject()) {
        definitions.setAll((ObjectNode) root.get(key));
      }
    }
  }

  /**
   * @param param the request field the schema came from ({@code tools}, {@code response_format}),
   *     named by a refusal
   */
  static JsonNode of(JsonNode schema, String param) throws TranslationException {
    return new GeminiSchema(schema, param).convert(schema);
  }

  private JsonNode convert(JsonNode node) throws TranslationException {
    if (!(node instanceof ObjectNode in)) {
      return node.deepCopy();
    }
    if (in.has("$ref")) {
      return inline(in);
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    for (var field : in.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      switch (key) {
        case "properties" -> {
          ObjectNode properties = out.putObject("properties");
          for (var property : value.properties()) {
            properties.set(property.getKey(), convert(property.getValue())); // names are data, not keywords
          }
        }
        case "items" -> out.set("items", convert(value));
        case "anyOf", "oneOf" -> choices(value, out);
        case "type" -> type(value, out);
        case "const" -> out.putArray("enum").add(value.deepCopy());
        default -> {
          if (KEPT.contains(key)) {
            out.set(key, value.deepCopy());
          }
        }
      }
    }
    return out;
  }

  private JsonNode inline(ObjectNode in) throws TranslationException {
    String ref = in.path("$ref").asText("");
    String name = ref.startsWith("#/$defs/") ? ref.substring("#/$defs/".length())
        : ref.startsWith("#/definitions/") ? ref.substring("#/definitions/".length()) : null;
    JsonNode definition = name == null ? null : definitions.get(name);
    if (definition == null) {
      throw PivotRequests.invalid("the schema's $ref '" + ref + "' does not name a definition of the same schema"
          + " (#/$defs/... or #/definitions/...); Gemini schemas cannot refer elsewhere", param);
    }
    if (expanding.contains(name)) {
      throw PivotRequests.invalid("the schema's definition '" + name + "' refers to itself; Gemini schemas have"
          + " no references, so a recursive schema cannot be expressed", param);
    }
    expanding.push(name);
    JsonNode inlined = convert(definition);
    expanding.pop();
    if (inlined instanceof ObjectNode object) {
      ObjectNode siblings = in.deepCopy();
      siblings.remove("$ref");
      JsonNode converted = convert(siblings);
      converted.properties().forEach(field -> object.set(field.getKey(), field.getValue()));
    }
    return inlined;
  }

  /**
   * A choice; a {@code {"type": "null"}} choice makes the schema nullable instead (what Pydantic
   * writes for optional fields), and a single choice left is merged into the schema itself.
   */
  private void choices(JsonNode value, ObjectNode out) throws TranslationException {
    ArrayNode choices = Json.MAPPER.createArrayNode();
    for (JsonNode choice : value) {
      if (choice.size() == 1 && "null".equals(choice.path("type").asText())) {
        out.put("nullable", true);
      } else {
        choices.add(convert(choice));
      }
    }
    if (choices.size() == 1 && choices.get(0) instanceof ObjectNode only) {
      out.setAll(only);
    } else if (!choices.isEmpty()) {
      out.withArray("anyOf").addAll(choices);
    }
  }

  /** A type list with "null" is a nullable type; several other types are a choice. */
  private static void type(JsonNode value, ObjectNode out) {
    if (!value.isArray()) {
      out.set("type", value.deepCopy());
      return;
    }
    ArrayNode types = Json.MAPPER.createArrayNode();
    for (JsonNode type : value) {
      if ("null".equals(type.asText())) {
        out.put("nullable", true);
      } else {
        types.add(type.deepCopy());
      }
    }
    if (types.size() == 1) {
      out.set("type", types.get(0));
    } else if (types.size() > 1) {
      ArrayNode choices = out.withArray("anyOf");
      types.forEach(type -> choices.addObject().set("type", type));
    }
  }
}
