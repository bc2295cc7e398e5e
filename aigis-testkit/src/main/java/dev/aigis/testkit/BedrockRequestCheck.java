package dev.aigis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * The Converse request rules {@link FakeBedrockUpstream} enforces, each failure a 400
 * {@code ValidationException} with a message in Bedrock's style: unknown top-level fields; no or
 * empty {@code messages}; a first message not from the user; roles other than user/assistant;
 * same-role neighbours; content blocks that are not exactly one of text, image, toolUse,
 * toolResult; blank text; images that are not png/jpeg/gif/webp with base64 bytes; toolUse outside
 * assistant and toolResult outside user messages; a toolResult whose id no earlier toolUse
 * has; {@code system} not a list of text blocks; toolConfig tools without name or
 * inputSchema.json; a toolChoice that is not exactly one of auto, any, tool.
 */
final class BedrockRequestCheck {

  static final class Invalid extends RuntimeException {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  private static final Set<String> TOP_LEVEL = Set.of("messages", "system", "inferenceConfig", "toolConfig",
      "additionalModelRequestFields", "additionalModelResponseFieldPaths", "guardrailConfig", "performanceConfig",
      "promptVariables", "requestMetadata", "outputConfig");
  private static final Set<String> FORMATS = Set.of("png", "jpeg", "gif", "webp");

  private BedrockRequestCheck() {}

  /**
   * Structured output ({@code outputConfig.textFormat}): type {@code json_schema} and a
   * {@code structure.jsonSchema} whose {@code schema} is a JSON object as a string, as AWS documents.
   */
  private static void checkOutputConfig(JsonNode config) {
    if (config == null) {
      return;
    }
    JsonNode format = config.path("textFormat");
    JsonNode schema = format.path("structure").path("jsonSchema").path("schema");
    if (!"json_schema".equals(format.path("type").asText()) || !schema.isTextual()) {
      throw new Invalid("1 validation error detected: outputConfig.textFormat must have type json_schema and"
          + " structure.jsonSchema.schema as a string");
    }
    try {
      if (!BedrockEvents.JSON.readTree(schema.asText()).isObject()) {
        throw new Invalid("The JSON schema in outputConfig is not an object");
      }
    } catch (java.io.IOException e) {
      throw new Invalid("The JSON schema in outputConfig is not valid JSON");
    }
  }

  static void check(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new Invalid("Malformed input request, please reformat your input and try again.");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!TOP_LEVEL.contains(field)) {
        throw new Invalid("Malformed input request: extraneous key [" + field + "] is not permitted,"
            + " please reformat your input and try again.");
      }
    }
    checkOutputConfig(body.get("outputConfig"));
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new Invalid("A conversation must start with a user message. Try again with a conversation that"
          + " starts with a user message.");
    }
    Set<String> toolUses = new HashSet<>();
    String previous = null;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String role = message.path("role").asText("");
      if (!role.equals("user") && !role.equals("assistant")) {
        throw new Invalid("1 validation error detected: Value '" + role + "' at 'messages." + (i + 1)
            + ".member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]");
      }
      if (i == 0 && !role.equals("user")) {
        throw new Invalid("A conversation must start with a user message. Try again with a conversation that"
            + " starts with a user message.");
      }
      if (role.equals(previous)) {
        throw new Invalid("A conversation must alternate between user and assistant roles. Make sure the"
            + " conversation alternates between user and assistant roles and try again.");
      }
      previous = role;
      JsonNode content = message.get("content");
      if (content == null || !content.isArray() || content.isEmpty()) {
        throw new Invalid("The content field in the Message object at messages." + i + " is empty. Add a"
            + " ContentBlock object to the content field and try again.");
      }
      for (JsonNode block : content) {
        block(block, role, i, toolUses);
      }
    }
    JsonNode system = body.get("system");
    if (system != null) {
      if (!system.isArray()) {
        throw new Invalid("Malformed input request: system must be a list of SystemContentBlock.");
      }
      for (JsonNode block : system) {
        if (!block.path("text").isTextual() || block.get("text").asText().isBlank()) {
          throw new Invalid("The text field in the SystemContentBlock object is blank. Add text and try again.");
        }
      }
    }
    toolConfig(body.get("toolConfig"));
  }

  private static void block(JsonNode block, String role, int i, Set<String> toolUses) {
    if (!block.isObject() || block.size() != 1) {
      throw new Invalid("The ContentBlock at messages." + i + " must set exactly one member.");
    }
    String kind = block.fieldNames().next();
    JsonNode value = block.get(kind);
    switch (kind) {
      case "text" -> {
        if (!value.isTextual() || value.asText().isBlank()) {
          throw new Invalid("The text field in the ContentBlock object at messages." + i + " is blank. Add"
              + " text to the text field, and try again.");
        }
      }
      case "image" -> {
        if (!FORMATS.contains(value.path("format").asText())) {
          throw new Invalid("The image format at messages." + i + " is not supported.");
        }
        try {
          if (Base64.getDecoder().decode(value.path("source").path("bytes").asText("")).length == 0) {
            throw new Invalid("The image at messages." + i + " is empty.");
          }
        } catch (IllegalArgumentException e) {
          throw new Invalid("The image bytes at messages." + i + " are not valid base64.");
        }
      }
      case "toolUse" -> {
        if (!role.equals("assistant")) {
          throw new Invalid("toolUse content blocks are only allowed in assistant messages (messages." + i + ").");
        }
        if (!value.path("toolUseId").isTextual() || !value.path("name").isTextual()
            || !value.path("input").isObject()) {
          throw new Invalid("The toolUse at messages." + i + " needs toolUseId, name and an input object.");
        }
        toolUses.add(value.get("toolUseId").asText());
      }
      case "toolResult" -> {
        if (!role.equals("user")) {
          throw new Invalid("toolResult content blocks are only allowed in user messages (messages." + i + ").");
        }
        if (!toolUses.contains(value.path("toolUseId").asText())) {
          throw new Invalid("The toolResult at messages." + i + " has a toolUseId that no previous toolUse has.");
        }
        if (!value.path("content").isArray()) {
          throw new Invalid("The toolResult at messages." + i + " needs a content list.");
        }
      }
      default -> throw new Invalid("Malformed input request: unknown ContentBlock member [" + kind + "].");
    }
  }

  private static void toolConfig(JsonNode config) {
    if (config == null) {
      return;
    }
    JsonNode tools = config.get("tools");
    if (tools == null || !tools.isArray() || tools.isEmpty()) {
      throw new Invalid("The toolConfig field must be defined with at least one tool.");
    }
    for (JsonNode tool : tools) {
      JsonNode spec = tool.path("toolSpec");
      if (!spec.path("name").isTextual() || !spec.path("inputSchema").path("json").isObject()) {
        throw new Invalid("Each toolSpec needs a name and inputSchema.json.");
      }
    }
    JsonNode choice = config.get("toolChoice");
    if (choice != null) {
      String kind = choice.size() == 1 ? choice.fieldNames().next() : "";
      if (!Set.of("auto", "any", "tool").contains(kind)
          || (kind.equals("tool") && !choice.path("tool").path("name").isTextual())) {
        throw new Invalid("toolChoice must set exactly one of auto, any or tool {name}.");
      }
    }
  }
}
