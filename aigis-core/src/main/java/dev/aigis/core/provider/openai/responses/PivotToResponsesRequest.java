package dev.aigis.core.provider.openai.responses;

import static dev.aigis.core.provider.PivotRequests.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.PivotRequests;
import dev.aigis.core.provider.TranslationException;

/**
 * The chat pivot as a Responses API request, for a server that speaks only Responses. Always
 * {@code store: false}: the gateway sends whole conversations and keeps nothing upstream. See
 * {@link OpenAiToOpenAiResponsesTranslator} for the mapping. Stateless.
 */
final class PivotToResponsesRequest {

  static final String BACKEND = "OpenAI Responses";

  private PivotToResponsesRequest() {}

  static ObjectNode translate(ObjectNode pivot, String model, boolean stream) throws TranslationException {
    PivotRequests.refuseInexpressible(pivot, BACKEND);
    JsonNode stop = pivot.get("stop");
    if (stop != null && !stop.isNull() && !(stop.isArray() && stop.isEmpty())) {
      throw invalid("stop sequences are not supported by the " + BACKEND + " backend", "stop");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("model", model);
    ArrayNode input = out.putArray("input");
    JsonNode messages = pivot.get("messages");
    PivotRequests.requireArray(messages, "messages");
    for (int i = 0; i < messages.size(); i++) {
      message(messages.get(i), "messages[" + i + "]", input);
    }
    tools(pivot.get("tools"), out);
    JsonNode choice = pivot.get("tool_choice");
    if (choice != null && !choice.isNull()) {
      if (choice.isTextual()) {
        out.put("tool_choice", choice.asText());
      } else if ("function".equals(choice.path("type").asText())) {
        out.putObject("tool_choice").put("type", "function").put("name", choice.path("function").path("name").asText());
      } else {
        throw invalid("tool_choice type '" + choice.path("type").asText() + "' is not supported", "tool_choice");
      }
    }
    responseFormat(pivot.get("response_format"), out);
    String effort = effort(pivot);
    if (effort != null) {
      out.putObject("reasoning").put("effort", effort);
    }
    JsonNode max = pivot.hasNonNull("max_completion_tokens") ? pivot.get("max_completion_tokens") : pivot.get("max_tokens");
    if (max != null && !max.isNull()) {
      out.set("max_output_tokens", max.deepCopy());
    }
    for (String field : new String[] {"temperature", "top_p", "parallel_tool_calls", "metadata", "user", "service_tier"}) {
      JsonNode value = pivot.get(field);
      if (value != null && !value.isNull()) {
        out.set(field, value.deepCopy());
      }
    }
    out.put("store", false);
    if (stream) {
      out.put("stream", true);
    }
    return out;
  }

  /** {@code reasoning_effort}, else the effort a {@code thinking} budget amounts to (the pivot's contract). */
  private static String effort(ObjectNode pivot) {
    JsonNode effort = pivot.get("reasoning_effort");
    if (effort != null && effort.isTextual()) {
      return effort.asText();
    }
    JsonNode thinking = pivot.get("thinking");
    if (thinking != null && "enabled".equals(thinking.path("type").asText())) {
      long budget = thinking.path("budget_tokens").asLong(0);
      return budget < 2048 ? "low" : budget < 4096 ? "medium" : "high";
    }
    return null;
  }

  private static void message(JsonNode message, String where, ArrayNode input) throws TranslationException {
    String role = message.path("role").asText("");
    JsonNode content = message.get("content");
    switch (role) {
      case "system", "developer", "user" -> {
        ObjectNode item = input.addObject().put("type", "message").put("role", role);
        item.set("content", userContent(content, where));
      }
      case "assistant" -> {
        // History reasoning (reasoning_content, thinking_blocks) is dropped: a Responses server
        // accepts reasoning items only with the id or encrypted_content it issued itself.
        String text = String.join("", PivotRequests.textParts(content, where + ".content", BACKEND));
        if (!text.isEmpty()) {
          ObjectNode item = input.addObject().put("type", "message").put("role", "assistant");
          item.putArray("content").add(ResponseObjects.outputText(text).without("logprobs"));
        }
        for (JsonNode call : message.path("tool_calls")) {
          if (!"function".equals(call.path("type").asText("function"))) {
            throw invalid("tool call type '" + call.path("type").asText() + "' in '" + where + "' is not supported",
                "messages");
          }
          input.addObject().put("type", "function_call").put("call_id", call.path("id").asText())
              .put("name", call.path("function").path("name").asText())
              .put("arguments", call.path("function").path("arguments").asText(""));
        }
      }
      case "tool" -> input.addObject().put("type", "function_call_output")
          .put("call_id", message.path("tool_call_id").asText())
          .put("output", String.join("", PivotRequests.textParts(content, where + ".content", BACKEND)));
      default -> throw invalid("unknown role '" + role + "' in '" + where + "'", "messages");
    }
  }

  private static JsonNode userContent(JsonNode content, String where) throws TranslationException {
    if (content == null || content.isNull() || content.isTextual()) {
      return content == null || content.isNull() ? Json.MAPPER.getNodeFactory().textNode("") : content;
    }
    PivotRequests.requireArray(content, where + ".content");
    ArrayNode parts = Json.MAPPER.createArrayNode();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      switch (part.path("type").asText("")) {
        case "text" -> parts.addObject().put("type", "input_text").put("text", part.path("text").asText(""));
        case "image_url" -> {
          ObjectNode image = parts.addObject().put("type", "input_image")
              .put("image_url", part.path("image_url").path("url").asText());
          image.put("detail", part.path("image_url").path("detail").asText("auto"));
        }
        default -> throw invalid("content part type '" + part.path("type").asText("") + "' in '" + where
            + ".content[" + j + "]' is not supported here by the " + BACKEND + " backend", "messages");
      }
    }
    return parts;
  }

  private static void tools(JsonNode tools, ObjectNode out) throws TranslationException {
    if (tools == null || tools.isNull() || (tools.isArray() && tools.isEmpty())) {
      return;
    }
    PivotRequests.requireArray(tools, "tools");
    ArrayNode flat = out.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      if (!"function".equals(tool.path("type").asText())) {
        throw invalid("tool type '" + tool.path("type").asText() + "' in 'tools[" + i + "]' is not supported",
            "tools[" + i + "].type");
      }
      JsonNode function = tool.path("function");
      ObjectNode item = flat.addObject().put("type", "function").put("name", function.path("name").asText());
      for (String field : new String[] {"description", "parameters", "strict"}) {
        if (function.hasNonNull(field)) {
          item.set(field, function.get(field).deepCopy());
        }
      }
    }
  }

  private static void responseFormat(JsonNode format, ObjectNode out) throws TranslationException {
    if (format == null || format.isNull()) {
      return;
    }
    switch (format.path("type").asText("")) {
      case "text" -> { }
      case "json_object" -> out.putObject("text").putObject("format").put("type", "json_object");
      case "json_schema" -> {
        JsonNode schema = format.path("json_schema");
        ObjectNode target = out.putObject("text").putObject("format").put("type", "json_schema")
            .put("name", schema.path("name").asText("response"));
        for (String field : new String[] {"description", "schema", "strict"}) {
          if (schema.hasNonNull(field)) {
            target.set(field, schema.get(field).deepCopy());
          }
        }
      }
      default -> throw invalid("response_format type '" + format.path("type").asText() + "' is not supported",
          "response_format");
    }
  }
}
