package dev.aigis.core.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.PivotReasoning;
import dev.aigis.core.provider.PivotRequests;
import dev.aigis.core.provider.TranslationException;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI chat request body as an Anthropic Messages request body. Stateless; the field-by-field
 * contract is on {@link OpenAiToAnthropicChatTranslator}. Errors are 400s naming the OpenAI field
 * and never quoting its content.
 */
final class ChatRequestTranslation {

  static final String JSON_OBJECT_INSTRUCTION =
      "Respond with a single valid JSON object and nothing else: no prose, no code fences.";

  private final ObjectNode in;
  private final ObjectNode out = Json.MAPPER.createObjectNode();
  private final List<String> system = new ArrayList<>();
  private final ArrayNode messages = Json.MAPPER.createArrayNode();
  private String lastRole;
  private ArrayNode lastContent;

  private ChatRequestTranslation(ObjectNode in) {
    this.in = in;
  }

  static ObjectNode translate(ObjectNode openAi, String model, boolean stream, int defaultMaxTokens)
      throws TranslationException {
    return new ChatRequestTranslation(openAi).run(model, stream, defaultMaxTokens);
  }

  private ObjectNode run(String model, boolean stream, int defaultMaxTokens)
      throws TranslationException {
    refuseInexpressible();
    out.put("model", model);
    out.put("max_tokens", maxTokens(defaultMaxTokens));
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
    responseFormat();
    if (system.size() == 1) {
      out.put("system", system.getFirst());
    } else if (system.size() > 1) {
      ArrayNode blocks = out.putArray("system");
      system.forEach(text -> blocks.addObject().put("type", "text").put("text", text));
    }
    out.set("messages", messages);
    tools();
    Integer budget = PivotReasoning.budget(in);
    if (budget != null) {
      thinking(budget);
    } else {
      if (PivotReasoning.disabled(in)) {
        out.putObject("thinking").put("type", "disabled");
      }
      copyNumber("temperature");
      copyNumber("top_p");
    }
    stop();
    String user = text(in.get("user"));
    if (user == null) {
      user = text(in.get("safety_identifier"));
    }
    if (user != null) {
      out.putObject("metadata").put("user_id", user);
    }
    if (stream) {
      out.put("stream", true);
    }
    return out;
  }

  private void refuseInexpressible() throws TranslationException {
    PivotRequests.refuseInexpressible(in, "Anthropic");
  }


  private int maxTokens(int defaultMaxTokens) throws TranslationException {
    for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
      JsonNode value = in.get(field);
      if (value != null && !value.isNull()) {
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
          throw invalid("'" + field + "' must be a positive integer", field);
        }
        return value.asInt();
      }
    }
    return defaultMaxTokens;
  }

  // ---- messages ----

  private void message(JsonNode message, int i) throws TranslationException {
    String role = text(message.get("role"));
    JsonNode content = message.get("content");
    String where = "messages[" + i + "]";
    switch (role == null ? "" : role) {
      case "system", "developer" -> system.addAll(texts(content, where + ".content"));
      case "user" -> append("user", userBlocks(content, where + ".content"));
      case "assistant" -> append("assistant", assistantBlocks(message, where));
      case "tool" -> append("user", List.of(toolResult(message, where)));
      default -> throw invalid("'" + where + ".role' must be system, developer, user, assistant or"
          + " tool for the Anthropic backend", "messages");
    }
  }

  /** Anthropic wants user and assistant strictly alternating: same-role neighbours are merged. */
  private void append(String role, List<ObjectNode> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    if (!role.equals(lastRole)) {
      ObjectNode message = messages.addObject();
      message.put("role", role);
      lastContent = message.putArray("content");
      lastRole = role;
    }
    lastContent.addAll(blocks);
  }

  private List<ObjectNode> userBlocks(JsonNode content, String where) throws TranslationException {
    List<ObjectNode> blocks = new ArrayList<>();
    if (content == null || content.isNull()) {
      throw invalid("'" + where + "' is required for user messages", "messages");
    }
    if (content.isTextual()) {
      blocks.add(textBlock(content.asText()));
      return blocks;
    }
    requireArray(content, where);
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String type = text(part.get("type"));
      switch (type == null ? "" : type) {
        case "text" -> blocks.add(textBlock(part.path("text").asText()));
        case "image_url" -> blocks.add(image(part.get("image_url"), where + "[" + j + "]"));
        default -> throw invalid("content part type '" + type + "' in '" + where + "[" + j
            + "]' is not supported by the Anthropic backend", "messages");
      }
    }
    return blocks;
  }

  private static ObjectNode image(JsonNode imageUrl, String where) throws TranslationException {
    String url = imageUrl == null ? null
        : imageUrl.isTextual() ? imageUrl.asText() : text(imageUrl.get("url"));
    if (url == null) {
      throw invalid("'" + where + ".image_url.url' is required", "messages");
    }
    ObjectNode block = Json.MAPPER.createObjectNode().put("type", "image");
    ObjectNode source = block.putObject("source");
    if (url.startsWith("data:")) {
      int comma = url.indexOf(',');
      String meta = comma < 0 ? "" : url.substring("data:".length(), comma);
      if (!meta.endsWith(";base64") || meta.length() == ";base64".length()) {
        throw invalid("'" + where + ".image_url.url' must be a base64 data URL"
            + " (data:<media type>;base64,...) or an http(s) URL", "messages");
      }
      source.put("type", "base64")
          .put("media_type", meta.substring(0, meta.length() - ";base64".length()))
          .put("data", url.substring(comma + 1));
    } else if (url.startsWith("https://") || url.startsWith("http://")) {
      source.put("type", "url").put("url", url);
    } else {
      throw invalid("'" + where + ".image_url.url' must be a base64 data URL or an http(s) URL",
          "messages");
    }
    return block;
  }

  private List<ObjectNode> assistantBlocks(JsonNode message, String where)
      throws TranslationException {
    // Thinking blocks go first, with their signatures, as Anthropic requires of a turn it verifies.
    List<ObjectNode> blocks = new ArrayList<>(PivotReasoning.anthropicBlocks(message));
    for (String text : texts(message.get("content"), where + ".content")) {
      if (!text.isEmpty()) { // Anthropic refuses empty text blocks; "" often sits beside tool_calls
        blocks.add(textBlock(text));
      }
    }
    JsonNode calls = message.get("tool_calls");
    if (calls == null || calls.isNull()) {
      return blocks;
    }
    requireArray(calls, where + ".tool_calls");
    for (int j = 0; j < calls.size(); j++) {
      JsonNode call = calls.get(j);
      String at = where + ".tool_calls[" + j + "]";
      JsonNode function = call.path("function");
      String id = text(call.get("id"));
      String name = text(function.get("name"));
      if (id == null || name == null) {
        throw invalid("'" + at + "' needs an 'id' and a 'function.name'", "messages");
      }
      ObjectNode block = Json.MAPPER.createObjectNode().put("type", "tool_use").put("id", id)
          .put("name", name);
      block.set("input", arguments(function.get("arguments"), at));
      blocks.add(block);
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
    ObjectNode block = Json.MAPPER.createObjectNode().put("type", "tool_result")
        .put("tool_use_id", id);
    JsonNode content = message.get("content");
    if (content != null && content.isTextual()) {
      block.put("content", content.asText());
    } else {
      ArrayNode parts = block.putArray("content");
      texts(content, where + ".content").forEach(text -> parts.add(textBlock(text)));
    }
    return block;
  }

  private static List<String> texts(JsonNode content, String where) throws TranslationException {
    return PivotRequests.textParts(content, where, "Anthropic");
  }


  // ---- tools, response format, sampling ----

  private void tools() throws TranslationException {
    JsonNode tools = in.get("tools");
    if (tools != null && !tools.isNull()) {
      requireArray(tools, "tools");
      ArrayNode outTools = out.putArray("tools");
      for (int i = 0; i < tools.size(); i++) {
        JsonNode tool = tools.get(i);
        JsonNode function = tool.path("function");
        String name = text(function.get("name"));
        if (!"function".equals(text(tool.get("type"))) || name == null) {
          throw invalid("'tools[" + i + "]' must be a function tool with a name", "tools");
        }
        ObjectNode outTool = outTools.addObject().put("name", name);
        String description = text(function.get("description"));
        if (description != null) {
          outTool.put("description", description);
        }
        JsonNode schema = function.get("parameters");
        outTool.set("input_schema", schema != null && schema.isObject() ? schema
            : Json.MAPPER.createObjectNode().put("type", "object"));
      }
    }
    JsonNode choice = in.get("tool_choice");
    ObjectNode outChoice = null;
    if (choice != null && choice.isTextual()) {
      outChoice = Json.MAPPER.createObjectNode().put("type", switch (choice.asText()) {
        case "auto" -> "auto";
        case "required" -> "any";
        case "none" -> "none";
        default -> throw invalid("'tool_choice' must be auto, required, none or a function",
            "tool_choice");
      });
    } else if (choice != null && choice.isObject()) {
      String name = text(choice.path("function").get("name"));
      if (!"function".equals(text(choice.get("type"))) || name == null) {
        throw invalid("'tool_choice' must be auto, required, none or a function", "tool_choice");
      }
      outChoice = Json.MAPPER.createObjectNode().put("type", "tool").put("name", name);
    }
    JsonNode parallel = in.get("parallel_tool_calls");
    if (parallel != null && parallel.isBoolean() && !parallel.asBoolean() && out.has("tools")) {
      if (outChoice == null) {
        outChoice = Json.MAPPER.createObjectNode().put("type", "auto");
      }
      if (!"none".equals(outChoice.path("type").asText())) {
        outChoice.put("disable_parallel_tool_use", true);
      }
    }
    if (outChoice != null) {
      out.set("tool_choice", outChoice);
    }
  }

  /** Anthropic has no structured-output switch: an instruction is appended to the system prompt. */
  private void responseFormat() throws TranslationException {
    JsonNode format = in.get("response_format");
    if (format == null || format.isNull()) {
      return;
    }
    switch (String.valueOf(text(format.get("type")))) {
      case "text" -> { }
      case "json_object" -> system.add(JSON_OBJECT_INSTRUCTION);
      case "json_schema" -> {
        JsonNode schema = format.path("json_schema").get("schema");
        if (schema == null || !schema.isObject()) {
          throw invalid("'response_format.json_schema.schema' must be an object", "response_format");
        }
        // Anthropic's structured outputs constrain the answer to the schema itself.
        out.putObject("output_config").putObject("format").put("type", "json_schema").set("schema", schema);
      }
      default -> throw invalid("'response_format.type' must be text, json_object or json_schema",
          "response_format");
    }
  }

  /**
   * Extended thinking with {@code budget} tokens. Anthropic then requires {@code max_tokens} above
   * the budget (a smaller one becomes budget plus itself, so the answer keeps its own allowance),
   * and refuses a temperature other than 1 and a top_p below 0.95: those are not sent.
   */
  private void thinking(int budget) throws TranslationException {
    out.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
    int maxTokens = out.path("max_tokens").asInt();
    if (maxTokens <= budget) {
      out.put("max_tokens", budget + maxTokens);
    }
    JsonNode topP = in.get("top_p");
    if (topP != null && topP.isNumber() && topP.asDouble() >= 0.95) {
      copyNumber("top_p");
    }
  }

  private void stop() throws TranslationException {
    JsonNode stop = in.get("stop");
    if (stop == null || stop.isNull()) {
      return;
    }
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
      out.set("stop_sequences", sequences);
    }
  }

  private void copyNumber(String field) throws TranslationException {
    JsonNode value = in.get(field);
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isNumber()) {
      throw invalid("'" + field + "' must be a number", field);
    }
    out.set(field, value);
  }

  // ---- helpers ----

  private static ObjectNode textBlock(String text) {
    return Json.MAPPER.createObjectNode().put("type", "text").put("text", text);
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }

  private static void requireArray(JsonNode node, String where) throws TranslationException {
    PivotRequests.requireArray(node, where);
  }


  private static TranslationException invalid(String message, String param) {
    return PivotRequests.invalid(message, param);
  }
}
