package dev.aigis.core.provider.gemini.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;

/**
 * A pivot {@code chat.completion} as a Gemini {@code GenerateContentResponse}, and the pieces the
 * stream shares with it (finish reasons, usage, function calls). Stateless.
 */
final class PivotToGemini {

  private PivotToGemini() {}

  static ObjectNode answer(ObjectNode completion) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    JsonNode choice = completion.path("choices").path(0);
    JsonNode message = choice.path("message");
    ObjectNode candidate = out.putArray("candidates").addObject();
    ArrayNode parts = Json.MAPPER.createArrayNode();
    String reasoning = message.path("reasoning_content").asText("");
    if (!reasoning.isEmpty()) {
      parts.addObject().put("text", reasoning).put("thought", true);
    }
    String text = message.path("content").asText("");
    if (!text.isEmpty()) {
      parts.addObject().put("text", text);
    }
    for (JsonNode call : message.path("tool_calls")) {
      parts.add(functionCall(call.path("id").asText(null), call.path("function").path("name").asText(),
          call.path("function").path("arguments").asText("")));
    }
    ObjectNode content = candidate.putObject("content");
    content.set("parts", parts);
    content.put("role", "model");
    candidate.put("finishReason", finishReason(choice.path("finish_reason").asText(null)));
    candidate.put("index", 0);
    JsonNode usage = completion.get("usage");
    if (usage != null && usage.isObject()) {
      out.set("usageMetadata", usage(usage));
    }
    identity(out, completion);
    return out;
  }

  /** {@code modelVersion} and {@code responseId} from the pivot's {@code model} and {@code id}. */
  static void identity(ObjectNode out, JsonNode pivot) {
    if (pivot.path("model").isTextual()) {
      out.put("modelVersion", pivot.get("model").asText());
    }
    if (pivot.path("id").isTextual()) {
      out.put("responseId", pivot.get("id").asText());
    }
  }

  /** A Gemini {@code functionCall} part; arguments that are not a JSON object become {@code {}}. */
  static ObjectNode functionCall(String id, String name, String arguments) {
    ObjectNode part = Json.MAPPER.createObjectNode();
    ObjectNode call = part.putObject("functionCall");
    if (id != null && !id.isEmpty()) {
      call.put("id", id);
    }
    call.put("name", name);
    JsonNode args;
    try {
      args = arguments.isBlank() ? null : Json.MAPPER.readTree(arguments);
    } catch (JsonProcessingException e) {
      args = null;
    }
    call.set("args", args != null && args.isObject() ? args : Json.MAPPER.createObjectNode());
    return part;
  }

  /** stop and tool_calls STOP, length MAX_TOKENS, content_filter SAFETY; anything else (or none) STOP. */
  static String finishReason(String reason) {
    if (reason == null) {
      return "STOP";
    }
    return switch (reason) {
      case "length" -> "MAX_TOKENS";
      case "content_filter" -> "SAFETY";
      default -> "STOP";
    };
  }

  /**
   * Pivot usage as {@code usageMetadata}. Gemini counts thoughts apart from the candidates, OpenAI
   * inside completion tokens, so candidates are completion minus reasoning tokens; cached and
   * thought counts appear only when there are some, as Google writes them.
   */
  static ObjectNode usage(JsonNode usage) {
    long prompt = usage.path("prompt_tokens").asLong(0);
    long completion = usage.path("completion_tokens").asLong(0);
    long reasoning = usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0);
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("promptTokenCount", prompt);
    out.put("candidatesTokenCount", Math.max(0, completion - reasoning));
    out.put("totalTokenCount", usage.path("total_tokens").asLong(prompt + completion));
    if (cached > 0) {
      out.put("cachedContentTokenCount", cached);
    }
    if (reasoning > 0) {
      out.put("thoughtsTokenCount", reasoning);
    }
    return out;
  }
}
