package dev.aigis.core.provider.openai.responses;

import static dev.aigis.core.provider.PivotRequests.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Responses API request ({@code POST /v1/responses}) as an OpenAI chat request, for backends
 * that do not speak Responses. The gateway holds no conversation state, so anything that needs a
 * stored response, conversation or prompt is refused with a 400 naming the field, as are the
 * built-in tools no chat backend runs. See {@link ResponsesInboundCodec} for the whole mapping.
 * Stateless.
 */
final class ResponsesToPivot {

  private ResponsesToPivot() {}

  static ObjectNode translate(JsonNode clientRequest) throws TranslationException {
    if (!(clientRequest instanceof ObjectNode in)) {
      throw invalid("Request body must be a JSON object", null);
    }
    refuseStateful(in);
    ObjectNode out = Json.MAPPER.createObjectNode();
    copy(in, "model", out, "model");
    ArrayNode messages = out.putArray("messages");
    JsonNode instructions = in.get("instructions");
    if (instructions != null && !instructions.isNull()) {
      if (!instructions.isTextual()) {
        throw invalid("'instructions' must be a string", "instructions");
      }
      messages.addObject().put("role", "system").put("content", instructions.asText());
    }
    input(in.get("input"), messages);
    tools(in.get("tools"), out);
    toolChoice(in.get("tool_choice"), out);
    textFormat(in.path("text").get("format"), out);
    JsonNode effort = in.path("reasoning").get("effort");
    if (effort != null && effort.isTextual()) {
      out.put("reasoning_effort", effort.asText());
    }
    copy(in, "max_output_tokens", out, "max_completion_tokens");
    copy(in, "temperature", out, "temperature");
    copy(in, "top_p", out, "top_p");
    copy(in, "parallel_tool_calls", out, "parallel_tool_calls");
    copy(in, "metadata", out, "metadata");
    copy(in, "user", out, "user");
    if (in.path("stream").asBoolean(false)) {
      out.put("stream", true);
      // The final response.completed event carries usage, so the pivot stream must report it.
      out.putObject("stream_options").put("include_usage", true);
    }
    return out;
  }

  /** What only a stateful server can do; a native Responses backend never reaches here. */
  private static void refuseStateful(ObjectNode in) throws TranslationException {
    if (in.path("store").asBoolean(false)) {
      throw invalid("'store: true' needs a backend that speaks the Responses API; this backend is reached through"
          + " translation and keeps no responses (send 'store: false')", "store");
    }
    for (String field : new String[] {"previous_response_id", "conversation", "prompt"}) {
      JsonNode value = in.get(field);
      if (value != null && !value.isNull()) {
        throw invalid("'" + field + "' needs a backend that speaks the Responses API; this backend is reached"
            + " through translation and keeps no state (send the whole conversation in 'input')", field);
      }
    }
    if (in.path("background").asBoolean(false)) {
      throw invalid("'background: true' needs a backend that speaks the Responses API", "background");
    }
  }

  private static void input(JsonNode input, ArrayNode messages) throws TranslationException {
    if (input == null || input.isNull()) {
      throw invalid("Missing required parameter: 'input'.", "input");
    }
    if (input.isTextual()) {
      messages.addObject().put("role", "user").put("content", input.asText());
      return;
    }
    if (!input.isArray()) {
      throw invalid("'input' must be a string or an array of items", "input");
    }
    // Consecutive assistant output (reasoning, text, function calls) is one assistant turn in chat.
    ObjectNode assistant = null;
    String pendingReasoning = null;
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      String where = "input[" + i + "]";
      String type = item.path("type").asText(item.has("role") ? "message" : "");
      switch (type) {
        case "message" -> {
          String role = item.path("role").asText("");
          if ("assistant".equals(role)) {
            if (assistant == null) {
              assistant = assistantTurn(messages, pendingReasoning);
              pendingReasoning = null;
            }
            appendAssistantText(assistant, item.get("content"), where);
          } else {
            assistant = null;
            messages.addObject().put("role", chatRole(role, where)).set("content", content(item.get("content"), where));
          }
        }
        case "function_call" -> {
          if (assistant == null) {
            assistant = assistantTurn(messages, pendingReasoning);
            pendingReasoning = null;
          }
          ArrayNode calls = assistant.has("tool_calls") ? (ArrayNode) assistant.get("tool_calls")
              : assistant.putArray("tool_calls");
          ObjectNode call = calls.addObject();
          call.put("id", required(item, "call_id", where));
          call.put("type", "function");
          call.putObject("function").put("name", required(item, "name", where))
              .put("arguments", item.path("arguments").asText(""));
        }
        case "function_call_output" -> {
          assistant = null;
          messages.addObject().put("role", "tool").put("tool_call_id", required(item, "call_id", where))
              .put("content", outputText(item.get("output"), where));
        }
        case "reasoning" -> {
          // encrypted_content is sealed for the provider that wrote it: it cannot cross providers.
          String text = reasoningText(item);
          assistant = null; // reasoning opens the next assistant turn
          pendingReasoning = pendingReasoning == null ? text : pendingReasoning + text;
        }
        default -> throw invalid("input item type '" + type + "' in '" + where + "' is not supported on a backend"
            + " reached through translation", where + ".type");
      }
    }
    if (pendingReasoning != null) {
      assistantTurn(messages, pendingReasoning);
    }
  }

  private static ObjectNode assistantTurn(ArrayNode messages, String reasoning) {
    ObjectNode message = messages.addObject().put("role", "assistant");
    message.putNull("content");
    if (reasoning != null && !reasoning.isEmpty()) {
      message.put("reasoning_content", reasoning);
    }
    return message;
  }

  private static void appendAssistantText(ObjectNode assistant, JsonNode content, String where)
      throws TranslationException {
    StringBuilder text = new StringBuilder(assistant.path("content").asText(""));
    if (content != null && content.isTextual()) {
      text.append(content.asText());
    } else if (content != null && content.isArray()) {
      for (int j = 0; j < content.size(); j++) {
        JsonNode part = content.get(j);
        switch (part.path("type").asText("")) {
          case "output_text", "input_text" -> text.append(part.path("text").asText(""));
          case "refusal" -> text.append(part.path("refusal").asText(""));
          default -> throw invalid("content part type '" + part.path("type").asText("") + "' in '" + where
              + ".content[" + j + "]' is not supported in an assistant message", where + ".content");
        }
      }
    }
    assistant.put("content", text.toString());
  }

  /** Developer instructions are system messages to every chat backend (not all know the developer role). */
  private static String chatRole(String role, String where) throws TranslationException {
    return switch (role) {
      case "user" -> "user";
      case "system", "developer" -> "system";
      default -> throw invalid("unknown role '" + role + "' in '" + where + "'", where + ".role");
    };
  }

  /** A message's content: a string as is; parts as chat content parts (text, image_url). */
  private static JsonNode content(JsonNode content, String where) throws TranslationException {
    if (content == null || content.isNull()) {
      throw invalid("'" + where + ".content' is required", where + ".content");
    }
    if (content.isTextual()) {
      return content;
    }
    if (!content.isArray()) {
      throw invalid("'" + where + ".content' must be a string or an array", where + ".content");
    }
    ArrayNode parts = Json.MAPPER.createArrayNode();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String type = part.path("type").asText("");
      switch (type) {
        case "input_text", "output_text" -> parts.addObject().put("type", "text").put("text", part.path("text").asText(""));
        case "input_image" -> {
          JsonNode url = part.get("image_url");
          if (url == null || !url.isTextual()) {
            throw invalid("'" + where + ".content[" + j + "]': only image_url images are supported on a backend reached"
                + " through translation (file_id needs the Files API)", where + ".content");
          }
          ObjectNode image = parts.addObject().put("type", "image_url").putObject("image_url").put("url", url.asText());
          if (part.hasNonNull("detail") && !"auto".equals(part.path("detail").asText())) {
            image.put("detail", part.path("detail").asText());
          }
        }
        default -> throw invalid("content part type '" + type + "' in '" + where + ".content[" + j
            + "]' is not supported on a backend reached through translation", where + ".content");
      }
    }
    return parts;
  }

  /** A function call's output: a string, or text parts joined. */
  private static String outputText(JsonNode output, String where) throws TranslationException {
    if (output == null || output.isNull()) {
      return "";
    }
    if (output.isTextual()) {
      return output.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : output) {
      if (!"input_text".equals(part.path("type").asText()) && !"output_text".equals(part.path("type").asText())) {
        throw invalid("'" + where + ".output' may hold only text on a backend reached through translation",
            where + ".output");
      }
      text.append(part.path("text").asText(""));
    }
    return text.toString();
  }

  /** The reasoning text (reasoning_text content), else its summaries joined by blank lines. */
  private static String reasoningText(JsonNode item) {
    List<String> texts = new ArrayList<>();
    for (JsonNode part : item.path("content")) {
      texts.add(part.path("text").asText(""));
    }
    if (texts.isEmpty()) {
      for (JsonNode part : item.path("summary")) {
        texts.add(part.path("text").asText(""));
      }
      return String.join("\n\n", texts);
    }
    return String.join("", texts);
  }

  private static void tools(JsonNode tools, ObjectNode out) throws TranslationException {
    if (tools == null || tools.isNull()) {
      return;
    }
    if (!tools.isArray()) {
      throw invalid("'tools' must be an array", "tools");
    }
    if (tools.isEmpty()) {
      return;
    }
    ArrayNode chatTools = out.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = tool.path("type").asText("");
      if (!"function".equals(type)) {
        throw invalid("tool type '" + type + "' in 'tools[" + i + "]' is a built-in tool that a backend reached"
            + " through translation cannot run; only function tools are supported", "tools[" + i + "].type");
      }
      ObjectNode function = chatTools.addObject().put("type", "function").putObject("function");
      function.put("name", required(tool, "name", "tools[" + i + "]"));
      copy(tool, "description", function, "description");
      copy(tool, "parameters", function, "parameters");
      copy(tool, "strict", function, "strict");
    }
  }

  private static void toolChoice(JsonNode choice, ObjectNode out) throws TranslationException {
    if (choice == null || choice.isNull()) {
      return;
    }
    if (choice.isTextual()) {
      out.put("tool_choice", choice.asText());
      return;
    }
    if ("function".equals(choice.path("type").asText()) && choice.path("name").isTextual()) {
      out.putObject("tool_choice").put("type", "function").putObject("function")
          .put("name", choice.path("name").asText());
      return;
    }
    throw invalid("tool_choice type '" + choice.path("type").asText("") + "' is not supported on a backend reached"
        + " through translation", "tool_choice");
  }

  /** {@code text.format} is chat's {@code response_format}, its json_schema fields one level up. */
  private static void textFormat(JsonNode format, ObjectNode out) throws TranslationException {
    if (format == null || format.isNull()) {
      return;
    }
    switch (format.path("type").asText("")) {
      case "text" -> { }
      case "json_object" -> out.putObject("response_format").put("type", "json_object");
      case "json_schema" -> {
        ObjectNode schema = out.putObject("response_format").put("type", "json_schema").putObject("json_schema");
        schema.put("name", required(format, "name", "text.format"));
        copy(format, "description", schema, "description");
        copy(format, "schema", schema, "schema");
        copy(format, "strict", schema, "strict");
      }
      default -> throw invalid("text.format type '" + format.path("type").asText("") + "' is not supported",
          "text.format");
    }
  }

  private static String required(JsonNode node, String field, String where) throws TranslationException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw invalid("'" + where + "." + field + "' is required", where + "." + field);
    }
    return value.asText();
  }

  private static void copy(JsonNode from, String field, ObjectNode to, String as) {
    JsonNode value = from.get(field);
    if (value != null && !value.isNull()) {
      to.set(as, value.deepCopy());
    }
  }
}
