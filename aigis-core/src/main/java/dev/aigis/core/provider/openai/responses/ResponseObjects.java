package dev.aigis.core.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;

/**
 * Builds the Responses API objects the gateway answers with: the {@code response} (its request
 * fields echoed as OpenAI does, since SDKs require them), its output items and usage. Item ids
 * derive from the pivot's id and the item's output index, so a stream's items and the final
 * response agree. Stateless.
 */
final class ResponseObjects {

  private ResponseObjects() {}

  /**
   * A response with no output yet.
   *
   * @param request the client's Responses request, or null when the answer did not come from one
   *     (a processor's immediate answer): then OpenAI's defaults are echoed
   */
  static ObjectNode response(String pivotId, long createdAt, String model, ObjectNode request, String status) {
    ObjectNode request0 = request != null ? request : Json.MAPPER.createObjectNode();
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", "resp_" + pivotId);
    out.put("object", "response");
    out.put("created_at", createdAt);
    out.put("status", status);
    out.putNull("error");
    out.putNull("incomplete_details");
    echo(request0, "instructions", out);
    echo(request0, "max_output_tokens", out);
    out.put("model", model);
    out.putArray("output");
    out.put("parallel_tool_calls", request0.path("parallel_tool_calls").asBoolean(true));
    out.putNull("previous_response_id");
    ObjectNode reasoning = out.putObject("reasoning");
    echo(request0.path("reasoning"), "effort", reasoning);
    reasoning.putNull("summary");
    out.put("store", false);
    echo(request0, "temperature", out);
    JsonNode text = request0.get("text");
    if (text instanceof ObjectNode t && t.has("format")) {
      out.set("text", t.deepCopy());
    } else {
      out.putObject("text").putObject("format").put("type", "text");
    }
    JsonNode toolChoice = request0.get("tool_choice");
    if (toolChoice != null && !toolChoice.isNull()) {
      out.set("tool_choice", toolChoice.deepCopy());
    } else {
      out.put("tool_choice", "auto");
    }
    JsonNode tools = request0.get("tools");
    out.set("tools", tools != null && tools.isArray() ? tools.deepCopy() : Json.MAPPER.createArrayNode());
    echo(request0, "top_p", out);
    out.put("truncation", "disabled");
    out.putNull("usage");
    echo(request0, "user", out);
    JsonNode metadata = request0.get("metadata");
    out.set("metadata", metadata != null && metadata.isObject() ? metadata.deepCopy() : Json.MAPPER.createObjectNode());
    return out;
  }

  /** Sets the terminal status and, for length and content-filter stops, why it is incomplete. */
  static void finish(ObjectNode response, String finishReason) {
    String reason = switch (finishReason == null ? "" : finishReason) {
      case "length" -> "max_output_tokens";
      case "content_filter" -> "content_filter";
      default -> null;
    };
    if (reason == null) {
      response.put("status", "completed");
    } else {
      response.put("status", "incomplete");
      response.putObject("incomplete_details").put("reason", reason);
    }
  }

  /** An item cut by a length or content-filter stop is {@code incomplete}, as OpenAI marks it. */
  static String itemStatus(String finishReason) {
    return "length".equals(finishReason) || "content_filter".equals(finishReason) ? "incomplete" : "completed";
  }

  static String itemId(String prefix, String pivotId, int outputIndex) {
    return prefix + "_" + pivotId + "_" + outputIndex;
  }

  static ObjectNode reasoningItem(String id, String text, String status) {
    ObjectNode item = Json.MAPPER.createObjectNode().put("id", id).put("type", "reasoning");
    item.putArray("summary");
    ArrayNode content = item.putArray("content");
    if (text != null) {
      content.addObject().put("type", "reasoning_text").put("text", text);
    }
    item.put("status", status);
    return item;
  }

  static ObjectNode messageItem(String id, String status) {
    ObjectNode item = Json.MAPPER.createObjectNode().put("id", id).put("type", "message").put("status", status)
        .put("role", "assistant");
    item.putArray("content");
    return item;
  }

  static ObjectNode outputText(String text) {
    ObjectNode part = Json.MAPPER.createObjectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    part.putArray("logprobs");
    return part;
  }

  static ObjectNode refusal(String text) {
    return Json.MAPPER.createObjectNode().put("type", "refusal").put("refusal", text);
  }

  static ObjectNode functionCall(String id, String callId, String name, String arguments, String status) {
    return Json.MAPPER.createObjectNode().put("id", id).put("type", "function_call").put("status", status)
        .put("arguments", arguments).put("call_id", callId).put("name", name);
  }

  /** The pivot's usage in the Responses shape, or null when there is none. */
  static ObjectNode usage(JsonNode pivotUsage) {
    if (pivotUsage == null || !pivotUsage.isObject()) {
      return null;
    }
    long input = pivotUsage.path("prompt_tokens").asLong(0);
    long output = pivotUsage.path("completion_tokens").asLong(0);
    ObjectNode usage = Json.MAPPER.createObjectNode();
    usage.put("input_tokens", input);
    usage.putObject("input_tokens_details")
        .put("cached_tokens", pivotUsage.path("prompt_tokens_details").path("cached_tokens").asLong(0));
    usage.put("output_tokens", output);
    usage.putObject("output_tokens_details")
        .put("reasoning_tokens", pivotUsage.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
    usage.put("total_tokens", pivotUsage.path("total_tokens").asLong(input + output));
    return usage;
  }

  private static void echo(JsonNode from, String field, ObjectNode to) {
    JsonNode value = from.get(field);
    if (value != null && !value.isNull()) {
      to.set(field, value.deepCopy());
    } else {
      to.putNull(field);
    }
  }
}
