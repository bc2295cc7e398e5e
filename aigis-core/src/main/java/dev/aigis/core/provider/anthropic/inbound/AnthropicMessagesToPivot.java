package dev.aigis.core.provider.anthropic.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import java.util.ArrayList;
import java.util.List;

/**
 * An Anthropic Messages request as an OpenAI chat request. Stateless; see
 * {@link AnthropicInboundCodec} for the mapping and what is dropped. Error messages follow
 * Anthropic's {@code path: problem} style and name fields, never their content.
 */
final class AnthropicMessagesToPivot {

  private AnthropicMessagesToPivot() {}

  static ObjectNode translate(JsonNode request) throws TranslationException {
    if (!(request instanceof ObjectNode in)) {
      throw invalid("Request body must be a JSON object", null);
    }
    JsonNode model = required(in, "model");
    if (!model.isTextual()) {
      throw invalid("model: Input should be a valid string", "model");
    }
    JsonNode maxTokens = required(in, "max_tokens");
    if (!maxTokens.isIntegralNumber()) {
      throw invalid("max_tokens: Input should be a valid integer", "max_tokens");
    }
    JsonNode messages = required(in, "messages");
    if (!messages.isArray()) {
      throw invalid("messages: Input should be a valid list", "messages");
    }

    ObjectNode out = Json.MAPPER.createObjectNode();
    out.set("model", model);
    ArrayNode pivotMessages = out.putArray("messages");
    system(in.get("system"), pivotMessages);
    for (int i = 0; i < messages.size(); i++) {
      message(messages.get(i), "messages." + i, pivotMessages);
    }
    out.set("max_tokens", maxTokens);
    copyNumber(in, "temperature", out, "temperature");
    copyNumber(in, "top_p", out, "top_p");
    JsonNode stop = in.get("stop_sequences");
    if (stop != null && !stop.isNull()) {
      if (!stop.isArray()) {
        throw invalid("stop_sequences: Input should be a valid list", "stop_sequences");
      }
      if (!stop.isEmpty()) {
        out.set("stop", stop.deepCopy());
      }
    }
    if (in.path("stream").asBoolean(false)) {
      out.put("stream", true);
      out.putObject("stream_options").put("include_usage", true);
    }
    JsonNode user = in.path("metadata").get("user_id");
    if (user != null && user.isTextual()) {
      out.set("user", user);
    }
    tools(in, out);
    outputFormat(in, out);
    thinking(in, out);
    return out;
  }

  /**
   * {@code thinking} {@code {type: enabled, budget_tokens}} or {@code {type: disabled}} is the
   * pivot's {@code thinking} as it is; other types (a newer {@code adaptive}) have no pivot form and
   * are dropped.
   */
  private static void thinking(JsonNode in, ObjectNode out) throws TranslationException {
    JsonNode thinking = in.get("thinking");
    if (thinking == null || thinking.isNull()) {
      return;
    }
    switch (thinking.path("type").asText("")) {
      case "enabled" -> {
        if (!thinking.path("budget_tokens").isIntegralNumber()) {
          throw invalid("thinking.enabled.budget_tokens: Field required", "thinking");
        }
        out.putObject("thinking").put("type", "enabled").put("budget_tokens", thinking.get("budget_tokens").asInt());
      }
      case "disabled" -> out.putObject("thinking").put("type", "disabled");
      default -> { }
    }
  }

  /**
   * Anthropic's structured outputs, {@code output_config.format} (or the beta's top-level
   * {@code output_format}) {@code {type: json_schema, schema}}, as the pivot's
   * {@code response_format} json_schema (named {@code output}, strict, as Anthropic enforces it).
   */
  private static void outputFormat(JsonNode in, ObjectNode out) throws TranslationException {
    JsonNode format = in.path("output_config").get("format");
    String where = "output_config.format";
    if (format == null || format.isNull()) {
      format = in.get("output_format");
      where = "output_format";
    }
    if (format == null || format.isNull()) {
      return;
    }
    String param = where.split("\\.")[0];
    if (!"json_schema".equals(format.path("type").asText())) {
      throw invalid(where + ".type: Input should be 'json_schema'", param);
    }
    JsonNode schema = format.get("schema");
    if (schema == null || !schema.isObject()) {
      throw invalid(where + ".schema: Input should be a valid dictionary", param);
    }
    ObjectNode jsonSchema = out.putObject("response_format").put("type", "json_schema").putObject("json_schema");
    jsonSchema.put("name", "output").put("strict", true).set("schema", schema);
  }

  private static void system(JsonNode system, ArrayNode out) throws TranslationException {
    if (system == null || system.isNull()) {
      return;
    }
    if (system.isTextual()) {
      out.addObject().put("role", "system").set("content", system);
      return;
    }
    if (!system.isArray()) {
      throw invalid("system: Input should be a valid string or list of text blocks", "system");
    }
    List<ObjectNode> parts = new ArrayList<>();
    for (int i = 0; i < system.size(); i++) {
      JsonNode block = system.get(i);
      if (!"text".equals(block.path("type").asText())) {
        throw invalid("system." + i + ".type: Input should be 'text'", "system");
      }
      parts.add(textPart(block));
    }
    if (!parts.isEmpty()) {
      out.addObject().put("role", "system").set("content", content(parts));
    }
  }

  private static void message(JsonNode message, String path, ArrayNode out) throws TranslationException {
    String role = message.path("role").asText("");
    JsonNode content = message.get("content");
    if (content == null || content.isNull()) {
      throw invalid(path + ".content: Field required", "messages");
    }
    if (!content.isTextual() && !content.isArray()) {
      throw invalid(path + ".content: Input should be a valid string or list", "messages");
    }
    switch (role) {
      case "user" -> userMessage(content, path, out);
      case "assistant" -> assistantMessage(content, path, out);
      case "system" -> systemMessage(content, path, out);
      default -> throw invalid(path + ".role: Input should be 'user', 'assistant' or 'system'", "messages");
    }
  }

  /**
   * A {@code system} message inside {@code messages} (coding agents such as Claude Code send them;
   * the Messages API itself has only the top-level {@code system}) is folded into the system prompt:
   * a pivot system message placed after the system messages that lead the conversation, so every
   * backend sees it as system text in the order it came.
   */
  private static void systemMessage(JsonNode content, String path, ArrayNode out) throws TranslationException {
    JsonNode text;
    if (content.isTextual()) {
      text = content;
    } else {
      List<ObjectNode> parts = new ArrayList<>();
      for (int j = 0; j < content.size(); j++) {
        JsonNode block = content.get(j);
        if (!"text".equals(block.path("type").asText())) {
          throw invalid(path + ".content." + j + ".type: a system message holds only text blocks", "messages");
        }
        parts.add(textPart(block));
      }
      if (parts.isEmpty()) {
        return;
      }
      text = content(parts);
    }
    int at = 0;
    while (at < out.size() && "system".equals(out.get(at).path("role").asText())) {
      at++;
    }
    out.insert(at, Json.MAPPER.createObjectNode().put("role", "system").set("content", text));
  }

  /** Tool results become {@code tool} messages ahead of whatever else the user turn holds. */
  private static void userMessage(JsonNode content, String path, ArrayNode out) throws TranslationException {
    if (content.isTextual()) {
      out.addObject().put("role", "user").set("content", content);
      return;
    }
    List<ObjectNode> toolMessages = new ArrayList<>();
    List<ObjectNode> parts = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String blockPath = path + ".content." + j;
      switch (block.path("type").asText("")) {
        case "text" -> parts.add(textPart(block));
        case "image" -> parts.add(imagePart(block, blockPath));
        case "document" -> parts.add(documentPart(block, blockPath));
        case "tool_result" -> toolMessages.add(toolMessage(block, blockPath, parts));
        default -> throw unsupportedBlock(block, blockPath);
      }
    }
    toolMessages.forEach(out::add);
    if (!parts.isEmpty() || toolMessages.isEmpty()) {
      out.addObject().put("role", "user").set("content", content(parts));
    }
  }

  /**
   * A {@code tool_result} as a {@code tool} message: text blocks joined by newlines; images, which
   * OpenAI tool messages cannot carry, move to the user message that follows; {@code is_error}
   * becomes an {@code "Error: "} prefix because the pivot has no error flag.
   */
  private static ObjectNode toolMessage(JsonNode block, String path, List<ObjectNode> userParts)
      throws TranslationException {
    JsonNode id = block.get("tool_use_id");
    if (id == null || !id.isTextual()) {
      throw invalid(path + ".tool_use_id: Field required", "messages");
    }
    var text = new StringBuilder();
    JsonNode content = block.get("content");
    if (content != null && content.isTextual()) {
      text.append(content.asText());
    } else if (content != null && content.isArray()) {
      for (int k = 0; k < content.size(); k++) {
        JsonNode inner = content.get(k);
        String innerPath = path + ".content." + k;
        switch (inner.path("type").asText("")) {
          case "text" -> {
            if (!text.isEmpty()) {
              text.append('\n');
            }
            text.append(inner.path("text").asText(""));
          }
          case "image" -> userParts.add(imagePart(inner, innerPath));
          default -> throw unsupportedBlock(inner, innerPath);
        }
      }
    } else if (content != null && !content.isNull()) {
      throw invalid(path + ".content: Input should be a valid string or list", "messages");
    }
    String result = block.path("is_error").asBoolean(false)
        ? (text.isEmpty() ? "Error" : "Error: " + text)
        : text.toString();
    ObjectNode message = Json.MAPPER.createObjectNode();
    message.put("role", "tool").put("tool_call_id", id.asText()).put("content", result);
    return message;
  }

  private static void assistantMessage(JsonNode content, String path, ArrayNode out) throws TranslationException {
    ObjectNode message = out.addObject().put("role", "assistant");
    if (content.isTextual()) {
      message.set("content", content);
      return;
    }
    List<ObjectNode> parts = new ArrayList<>();
    ArrayNode toolCalls = Json.MAPPER.createArrayNode();
    ArrayNode thinkingBlocks = Json.MAPPER.createArrayNode();
    StringBuilder reasoning = null;
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String blockPath = path + ".content." + j;
      switch (block.path("type").asText("")) {
        case "text" -> parts.add(textPart(block));
        case "tool_use" -> toolCalls.add(toolCall(block, blockPath));
        // Earlier reasoning travels as the pivot's reasoning_content and signed thinking_blocks.
        case "thinking" -> {
          String thinking = block.path("thinking").asText("");
          reasoning = (reasoning == null ? new StringBuilder() : reasoning).append(thinking);
          thinkingBlocks.addObject().put("type", "thinking").put("thinking", thinking)
              .put("signature", block.path("signature").asText(""));
        }
        case "redacted_thinking" -> thinkingBlocks.addObject().put("type", "redacted_thinking")
            .put("data", block.path("data").asText(""));
        default -> throw unsupportedBlock(block, blockPath);
      }
    }
    if (parts.isEmpty() && !toolCalls.isEmpty()) {
      message.putNull("content");
    } else {
      message.set("content", content(parts));
    }
    if (reasoning != null) {
      message.put("reasoning_content", reasoning.toString());
    }
    if (!thinkingBlocks.isEmpty()) {
      message.set("thinking_blocks", thinkingBlocks);
    }
    if (!toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
  }

  private static ObjectNode toolCall(JsonNode block, String path) throws TranslationException {
    JsonNode id = block.get("id");
    JsonNode name = block.get("name");
    if (id == null || !id.isTextual() || name == null || !name.isTextual()) {
      throw invalid(path + ": tool_use requires string id and name", "messages");
    }
    JsonNode input = block.get("input");
    ObjectNode call = Json.MAPPER.createObjectNode();
    call.put("id", id.asText()).put("type", "function");
    call.putObject("function")
        .put("name", name.asText())
        .put("arguments", input == null || input.isNull() ? "{}" : compact(input));
    return call;
  }

  private static void tools(ObjectNode in, ObjectNode out) throws TranslationException {
    JsonNode tools = in.get("tools");
    if (tools == null || tools.isNull()) {
      return;
    }
    if (!tools.isArray()) {
      throw invalid("tools: Input should be a valid list", "tools");
    }
    if (tools.isEmpty()) {
      return;
    }
    ArrayNode functions = out.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = tool.path("type").asText("custom");
      if (!"custom".equals(type)) {
        throw invalid("tools." + i + ".type: server tool '" + type + "' cannot be translated for this backend", "tools");
      }
      JsonNode name = tool.get("name");
      if (name == null || !name.isTextual()) {
        throw invalid("tools." + i + ".name: Field required", "tools");
      }
      ObjectNode function = functions.addObject().put("type", "function").putObject("function");
      function.set("name", name);
      JsonNode description = tool.get("description");
      if (description != null && description.isTextual()) {
        function.set("description", description);
      }
      JsonNode schema = tool.get("input_schema");
      if (schema == null || !schema.isObject()) {
        throw invalid("tools." + i + ".input_schema: Field required", "tools");
      }
      function.set("parameters", schema.deepCopy()); // the pivot may be rewritten later
    }
    JsonNode choice = in.get("tool_choice");
    if (choice == null || choice.isNull()) {
      return;
    }
    switch (choice.path("type").asText("")) {
      case "auto" -> out.put("tool_choice", "auto");
      case "any" -> out.put("tool_choice", "required");
      case "none" -> out.put("tool_choice", "none");
      case "tool" -> {
        JsonNode name = choice.get("name");
        if (name == null || !name.isTextual()) {
          throw invalid("tool_choice.name: Field required", "tool_choice");
        }
        out.putObject("tool_choice").put("type", "function").putObject("function").set("name", name);
      }
      default -> throw invalid("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'", "tool_choice");
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
      out.put("parallel_tool_calls", false);
    }
  }

  private static ObjectNode textPart(JsonNode block) {
    ObjectNode part = Json.MAPPER.createObjectNode().put("type", "text");
    part.put("text", block.path("text").asText(""));
    return part;
  }

  /** One text part collapses to a plain string, which every OpenAI-compatible server accepts. */
  private static JsonNode content(List<ObjectNode> parts) {
    if (parts.isEmpty()) {
      return Json.MAPPER.getNodeFactory().textNode("");
    }
    if (parts.size() == 1 && "text".equals(parts.getFirst().path("type").asText())) {
      return parts.getFirst().get("text");
    }
    ArrayNode array = Json.MAPPER.createArrayNode();
    parts.forEach(array::add);
    return array;
  }

  private static ObjectNode imagePart(JsonNode block, String path) throws TranslationException {
    JsonNode source = block.path("source");
    String url = switch (source.path("type").asText("")) {
      case "base64" -> "data:" + source.path("media_type").asText("") + ";base64," + source.path("data").asText("");
      case "url" -> source.path("url").asText("");
      default -> throw invalid(path + ".source.type: image source must be 'base64' or 'url'", "messages");
    };
    ObjectNode part = Json.MAPPER.createObjectNode().put("type", "image_url");
    part.putObject("image_url").put("url", url);
    return part;
  }

  /** PDFs in base64 become OpenAI {@code file} parts; plain-text documents become text. */
  private static ObjectNode documentPart(JsonNode block, String path) throws TranslationException {
    JsonNode source = block.path("source");
    switch (source.path("type").asText("")) {
      case "base64" -> {
        ObjectNode part = Json.MAPPER.createObjectNode().put("type", "file");
        ObjectNode file = part.putObject("file");
        if (block.path("title").isTextual()) {
          file.set("filename", block.get("title"));
        }
        file.put("file_data", "data:" + source.path("media_type").asText("") + ";base64," + source.path("data").asText(""));
        return part;
      }
      case "text" -> {
        return Json.MAPPER.createObjectNode().put("type", "text").put("text", source.path("data").asText(""));
      }
      default -> throw invalid(path + ".source.type: document source must be 'base64' or 'text' for this backend", "messages");
    }
  }

  private static TranslationException unsupportedBlock(JsonNode block, String path) {
    return invalid(path + ".type: content block type '" + block.path("type").asText("") + "' is not supported here", "messages");
  }

  private static JsonNode required(ObjectNode in, String field) throws TranslationException {
    JsonNode value = in.get(field);
    if (value == null || value.isNull()) {
      throw invalid(field + ": Field required", field);
    }
    return value;
  }

  private static void copyNumber(ObjectNode in, String from, ObjectNode out, String to) throws TranslationException {
    JsonNode value = in.get(from);
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isNumber()) {
      throw invalid(from + ": Input should be a valid number", from);
    }
    out.set(to, value);
  }

  static String compact(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree always serialises
    }
  }

  static TranslationException invalid(String message, String param) {
    return new TranslationException(new GatewayError.InvalidRequest(message, param));
  }
}
