package dev.aigis.core.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.PivotReasoning;
import dev.aigis.core.provider.PivotRequests;
import dev.aigis.core.provider.anthropic.ClaudeBodies;
import dev.aigis.core.provider.TranslationException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An OpenAI chat request body as a Bedrock Converse request body. Stateless; the field-by-field
 * contract is on {@link OpenAiToBedrockConverseTranslator}. Errors are 400s naming the OpenAI field,
 * never quoting its content.
 */
final class ConverseRequestTranslation {

  private static final Set<String> IMAGE_FORMATS = Set.of("png", "jpeg", "gif", "webp");

  private final ObjectNode in;
  private final ObjectNode out = Json.MAPPER.createObjectNode();
  private final ArrayNode system = Json.MAPPER.createArrayNode();
  private final ArrayNode messages = Json.MAPPER.createArrayNode();
  private String lastRole;
  private ArrayNode lastContent;

  /** Whether the model is Claude, which takes Anthropic's extended thinking through additionalModelRequestFields. */
  private final boolean claude;

  private ConverseRequestTranslation(ObjectNode in, String model) {
    this.in = in;
    this.claude = ClaudeBodies.isBedrockClaude(model);
  }

  static ObjectNode translate(ObjectNode openAi) throws TranslationException {
    return translate(openAi, null);
  }

  /** @param model the Bedrock model id, which decides whether thinking can be asked for; null when unknown */
  static ObjectNode translate(ObjectNode openAi, String model) throws TranslationException {
    return new ConverseRequestTranslation(openAi, model).run();
  }

  private ObjectNode run() throws TranslationException {
    refuseInexpressible();
    JsonNode inMessages = in.get("messages");
    if (inMessages == null || !inMessages.isArray()) {
      throw invalid("'messages' must be an array", "messages");
    }
    for (int i = 0; i < inMessages.size(); i++) {
      message(inMessages.get(i), i);
    }
    if (messages.isEmpty()) {
      throw invalid("'messages' must contain at least one user, assistant or tool message", "messages");
    }
    out.set("messages", messages);
    if (!system.isEmpty()) {
      out.set("system", system);
    }
    inferenceConfig();
    toolConfig();
    outputConfig();
    return out;
  }

  private void refuseInexpressible() throws TranslationException {
    PivotRequests.refuseInexpressible(in, "Bedrock");
    String format = text(in.path("response_format").get("type"));
    if (format != null && !format.equals("text") && !format.equals("json_schema")) {
      throw invalid("'response_format' " + format + " is not supported by the Bedrock backend",
          "response_format");
    }
  }

  /**
   * {@code response_format} json_schema as Converse's structured output, {@code outputConfig.textFormat}
   * (Bedrock takes the schema as a JSON string). The name and description are kept; {@code strict}
   * is implied (Bedrock always enforces the schema).
   */
  private void outputConfig() throws TranslationException {
    JsonNode format = in.get("response_format");
    if (format == null || !"json_schema".equals(text(format.get("type")))) {
      return;
    }
    JsonNode jsonSchema = format.path("json_schema");
    JsonNode schema = jsonSchema.get("schema");
    if (schema == null || !schema.isObject()) {
      throw invalid("'response_format.json_schema.schema' must be an object", "response_format");
    }
    ObjectNode definition = out.putObject("outputConfig").putObject("textFormat").put("type", "json_schema")
        .putObject("structure").putObject("jsonSchema").put("schema", schema.toString());
    String name = text(jsonSchema.get("name"));
    if (name != null) {
      definition.put("name", name);
    }
    String description = text(jsonSchema.get("description"));
    if (description != null) {
      definition.put("description", description);
    }
  }


  // ---- messages ----

  private void message(JsonNode message, int i) throws TranslationException {
    String role = text(message.get("role"));
    JsonNode content = message.get("content");
    String where = "messages[" + i + "]";
    switch (role == null ? "" : role) {
      case "system", "developer" -> {
        for (String text : texts(content, where + ".content")) {
          system.addObject().put("text", text);
        }
      }
      case "user" -> append("user", userBlocks(content, where + ".content"));
      case "assistant" -> append("assistant", assistantBlocks(message, where));
      case "tool" -> append("user", List.of(toolResult(message, where)));
      default -> throw invalid("'" + where + ".role' must be system, developer, user, assistant or"
          + " tool for the Bedrock backend", "messages");
    }
  }

  /** Converse wants user and assistant alternating: same-role neighbours are merged. */
  private void append(String role, List<ObjectNode> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    if (!role.equals(lastRole)) {
      ObjectNode message = messages.addObject().put("role", role);
      lastContent = message.putArray("content");
      lastRole = role;
    }
    lastContent.addAll(blocks);
  }

  private List<ObjectNode> userBlocks(JsonNode content, String where) throws TranslationException {
    if (content != null && content.isTextual()) {
      return List.of(textBlock(content.asText()));
    }
    requireArray(content, where);
    List<ObjectNode> blocks = new java.util.ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String type = text(part.get("type"));
      switch (type == null ? "" : type) {
        case "text" -> blocks.add(textBlock(part.path("text").asText()));
        case "image_url" -> blocks.add(image(part.path("image_url").path("url").asText(""),
            where + "[" + j + "]"));
        default -> throw invalid("content part type '" + type + "' in '" + where + "[" + j
            + "]' is not supported by the Bedrock backend", "messages");
      }
    }
    return blocks;
  }

  /** Bedrock cannot fetch URLs: only {@code data:image/<format>;base64,} images are accepted. */
  private static ObjectNode image(String url, String where) throws TranslationException {
    if (!url.startsWith("data:")) {
      throw invalid("'" + where + ".image_url.url' must be a base64 data URL: the Bedrock backend"
          + " cannot fetch images", "messages");
    }
    int comma = url.indexOf(',');
    String meta = comma < 0 ? "" : url.substring(5, comma).toLowerCase(Locale.ROOT);
    if (comma < 0 || !meta.startsWith("image/") || !meta.endsWith(";base64")) {
      throw invalid("'" + where + ".image_url.url' must be data:image/<format>;base64,...", "messages");
    }
    String format = meta.substring(6, meta.length() - 7);
    format = format.equals("jpg") ? "jpeg" : format;
    if (!IMAGE_FORMATS.contains(format)) {
      throw invalid("'" + where + ".image_url.url' image format must be png, jpeg, gif or webp for the"
          + " Bedrock backend", "messages");
    }
    ObjectNode block = Json.MAPPER.createObjectNode();
    ObjectNode image = block.putObject("image").put("format", format);
    image.putObject("source").put("bytes", url.substring(comma + 1));
    return block;
  }

  private static List<ObjectNode> assistantBlocks(JsonNode message, String where)
      throws TranslationException {
    List<ObjectNode> blocks = new java.util.ArrayList<>();
    // Signed reasoning goes back first, as Claude on Bedrock verifies it before tool use.
    for (ObjectNode thinking : PivotReasoning.anthropicBlocks(message)) {
      ObjectNode reasoning = Json.MAPPER.createObjectNode();
      if ("thinking".equals(thinking.get("type").asText())) {
        reasoning.putObject("reasoningContent").putObject("reasoningText")
            .put("text", thinking.get("thinking").asText()).put("signature", thinking.get("signature").asText());
      } else {
        reasoning.putObject("reasoningContent").put("redactedContent", thinking.get("data").asText());
      }
      blocks.add(reasoning);
    }
    for (String text : texts(message.get("content"), where + ".content")) {
      if (!text.isEmpty()) { // Converse refuses blank text blocks
        blocks.add(textBlock(text));
      }
    }
    JsonNode calls = message.get("tool_calls");
    if (calls != null && !calls.isNull()) {
      requireArray(calls, where + ".tool_calls");
      for (int j = 0; j < calls.size(); j++) {
        JsonNode call = calls.get(j);
        String at = where + ".tool_calls[" + j + "]";
        String id = text(call.get("id"));
        String name = text(call.path("function").get("name"));
        if (id == null || name == null) {
          throw invalid("'" + at + "' needs an id and a function name", "messages");
        }
        ObjectNode block = Json.MAPPER.createObjectNode();
        block.putObject("toolUse").put("toolUseId", id).put("name", name)
            .set("input", arguments(call.path("function").get("arguments"), at));
        blocks.add(block);
      }
    }
    return blocks;
  }

  private static JsonNode arguments(JsonNode arguments, String where) throws TranslationException {
    return PivotRequests.toolArguments(arguments, where);
  }


  private static ObjectNode toolResult(JsonNode message, String where) throws TranslationException {
    String id = text(message.get("tool_call_id"));
    if (id == null) {
      throw invalid("'" + where + ".tool_call_id' is required for tool messages", "messages");
    }
    ObjectNode block = Json.MAPPER.createObjectNode();
    ObjectNode result = block.putObject("toolResult").put("toolUseId", id);
    ArrayNode content = result.putArray("content");
    for (String text : texts(message.get("content"), where + ".content")) {
      content.add(textBlock(text));
    }
    if (content.isEmpty()) {
      content.add(textBlock(""));
    }
    return block;
  }

  private static List<String> texts(JsonNode content, String where) throws TranslationException {
    return PivotRequests.textParts(content, where, "Bedrock");
  }


  // ---- inference and tool configuration ----

  private void inferenceConfig() throws TranslationException {
    ObjectNode config = Json.MAPPER.createObjectNode();
    for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
      JsonNode value = in.get(field);
      if (value != null && !value.isNull()) {
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
          throw invalid("'" + field + "' must be a positive integer", field);
        }
        config.put("maxTokens", value.asInt());
        break;
      }
    }
    Integer budget = claude ? PivotReasoning.budget(in) : null;
    if (budget != null) {
      thinking(budget, config);
    } else {
      number("temperature", "temperature", config);
      number("top_p", "topP", config);
    }
    JsonNode stop = in.get("stop");
    if (stop != null && !stop.isNull()) {
      ArrayNode sequences = Json.MAPPER.createArrayNode();
      if (stop.isTextual()) {
        sequences.add(stop.asText());
      } else {
        requireArray(stop, "stop");
        for (JsonNode s : stop) {
          if (!s.isTextual()) {
            throw invalid("'stop' must be a string or an array of strings", "stop");
          }
          sequences.add(s.asText());
        }
      }
      if (!sequences.isEmpty()) {
        config.set("stopSequences", sequences);
      }
    }
    if (!config.isEmpty()) {
      out.set("inferenceConfig", config);
    }
  }

  private void number(String field, String name, ObjectNode config) throws TranslationException {
    JsonNode value = in.get(field);
    if (value != null && !value.isNull()) {
      if (!value.isNumber()) {
        throw invalid("'" + field + "' must be a number", field);
      }
      config.set(name, value);
    }
  }

  /**
   * Claude's extended thinking, which Converse passes in {@code additionalModelRequestFields}: the
   * same rules as on Anthropic's API (maxTokens above the budget, no temperature, top_p only from
   * 0.95). Other Bedrock models take no thinking budget; the request's reasoning fields are dropped.
   */
  private void thinking(int budget, ObjectNode config) throws TranslationException {
    out.putObject("additionalModelRequestFields").putObject("thinking").put("type", "enabled")
        .put("budget_tokens", budget);
    int maxTokens = config.path("maxTokens").asInt(0);
    if (maxTokens > 0 && maxTokens <= budget) {
      config.put("maxTokens", budget + maxTokens);
    }
    JsonNode topP = in.get("top_p");
    if (topP != null && topP.isNumber() && topP.asDouble() >= 0.95) {
      number("top_p", "topP", config);
    }
  }

  /**
   * {@code tool_choice: none} has no Converse form: the tools are left out instead. Converse refuses
   * a conversation whose history holds toolUse/toolResult blocks without a {@code toolConfig}, so
   * when none is sent, one is made of the tool names the history uses.
   */
  private void toolConfig() throws TranslationException {
    JsonNode tools = in.get("tools");
    JsonNode choice = in.get("tool_choice");
    if (tools == null || tools.isNull() || (choice != null && "none".equals(choice.asText(null)))) {
      historyToolConfig();
      return;
    }
    requireArray(tools, "tools");
    if (tools.isEmpty()) {
      historyToolConfig();
      return;
    }
    ObjectNode config = out.putObject("toolConfig");
    ArrayNode outTools = config.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      JsonNode function = tool.path("function");
      String name = text(function.get("name"));
      if (!"function".equals(text(tool.get("type"))) || name == null) {
        throw invalid("'tools[" + i + "]' must be a function tool with a name", "tools");
      }
      ObjectNode spec = outTools.addObject().putObject("toolSpec").put("name", name);
      String description = text(function.get("description"));
      if (description != null) {
        spec.put("description", description);
      }
      JsonNode schema = function.get("parameters");
      spec.putObject("inputSchema").set("json", schema != null && schema.isObject() ? schema
          : Json.MAPPER.createObjectNode().put("type", "object"));
    }
    if (choice == null || choice.isNull()) {
      return;
    }
    ObjectNode outChoice = config.putObject("toolChoice");
    if (choice.isTextual()) {
      switch (choice.asText()) {
        case "auto" -> outChoice.putObject("auto");
        case "required" -> outChoice.putObject("any");
        default -> throw invalid("'tool_choice' must be auto, required, none or a function", "tool_choice");
      }
    } else {
      String name = text(choice.path("function").get("name"));
      if (!"function".equals(text(choice.get("type"))) || name == null) {
        throw invalid("'tool_choice' must be auto, required, none or a function", "tool_choice");
      }
      outChoice.putObject("tool").put("name", name);
    }
  }

  /**
   * A tool spec for each tool name the history's toolUse blocks name, in order of first use, with
   * the permissive schema {@code {"type":"object"}}: the client defined no tools for this turn, so
   * no schema is known, and Converse only needs the names to accept the history.
   */
  private void historyToolConfig() {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode message : messages) {
      for (JsonNode block : message.path("content")) {
        String name = text(block.path("toolUse").get("name"));
        if (name != null) {
          names.add(name);
        }
      }
    }
    if (names.isEmpty()) {
      return;
    }
    ArrayNode outTools = out.putObject("toolConfig").putArray("tools");
    for (String name : names) {
      outTools.addObject().putObject("toolSpec").put("name", name)
          .putObject("inputSchema").putObject("json").put("type", "object");
    }
  }

  // ---- helpers ----

  private static ObjectNode textBlock(String text) {
    return Json.MAPPER.createObjectNode().put("text", text);
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }

  private static void requireArray(JsonNode node, String where) throws TranslationException {
    PivotRequests.requireArray(node, where);
  }


  static TranslationException invalid(String message, String param) {
    return PivotRequests.invalid(message, param);
  }
}
