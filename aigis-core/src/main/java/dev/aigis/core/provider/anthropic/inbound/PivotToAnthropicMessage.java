package dev.aigis.core.provider.anthropic.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import java.util.UUID;

/** An OpenAI {@code chat.completion} as an Anthropic {@code message}; also the mappings streams share. */
final class PivotToAnthropicMessage {

  private PivotToAnthropicMessage() {}

  static ObjectNode translate(ObjectNode completion) {
    ObjectNode message = Json.MAPPER.createObjectNode();
    message.put("id", messageId(completion.path("id").asText("")));
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", completion.path("model").asText(""));
    ArrayNode content = message.putArray("content");
    JsonNode choice = completion.path("choices").path(0);
    JsonNode answer = choice.path("message");
    thinking(answer, content);
    String text = text(answer.get("content"));
    if (text.isEmpty()) {
      text = answer.path("refusal").asText("");
    }
    if (!text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    boolean toolUse = false;
    for (JsonNode call : answer.path("tool_calls")) {
      JsonNode function = call.path("function");
      ObjectNode block = content.addObject().put("type", "tool_use");
      block.put("id", call.path("id").asText(""));
      block.put("name", function.path("name").asText(""));
      block.set("input", input(function.path("arguments").asText("")));
      toolUse = true;
    }
    message.put("stop_reason", stopReason(choice.path("finish_reason").asText(null), toolUse));
    message.putNull("stop_sequence");
    usage(completion.get("usage"), message.putObject("usage"));
    return message;
  }

  /**
   * The pivot's reasoning as Anthropic thinking blocks, first in the content as Anthropic puts them:
   * {@code thinking_blocks} with their signatures (and redacted blocks) when the backend was of the
   * Anthropic family; otherwise {@code reasoning_content} (vLLM, DeepSeek...) as one thinking block
   * with an empty signature, which shows the reasoning but cannot be verified if sent back.
   */
  private static void thinking(JsonNode answer, ArrayNode content) {
    JsonNode blocks = answer.path("thinking_blocks");
    if (blocks.isArray() && !blocks.isEmpty()) {
      for (JsonNode block : blocks) {
        if ("redacted_thinking".equals(block.path("type").asText())) {
          content.addObject().put("type", "redacted_thinking").put("data", block.path("data").asText(""));
        } else {
          content.addObject().put("type", "thinking").put("thinking", block.path("thinking").asText(""))
              .put("signature", block.path("signature").asText(""));
        }
      }
      return;
    }
    String reasoning = answer.path("reasoning_content").asText("");
    if (!reasoning.isEmpty()) {
      content.addObject().put("type", "thinking").put("thinking", reasoning).put("signature", "");
    }
  }

  /** Text of an OpenAI {@code content}: a string, or the text parts of an array, concatenated. */
  private static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    var text = new StringBuilder();
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText())) {
        text.append(part.path("text").asText(""));
      }
    }
    return text.toString();
  }

  /**
   * Tool arguments as the object Anthropic's {@code input} must be. Empty arguments are {@code {}};
   * arguments that are not a JSON object (a model's malformed output) also become {@code {}}, since
   * Anthropic clients reject a non-object input outright.
   */
  static JsonNode input(String arguments) {
    if (!arguments.isBlank()) {
      try {
        JsonNode parsed = Json.MAPPER.readTree(arguments);
        if (parsed != null && parsed.isObject()) {
          return parsed;
        }
      } catch (java.io.IOException e) {
        // falls through to an empty input
      }
    }
    return Json.MAPPER.createObjectNode();
  }

  /**
   * stop → end_turn, length → max_tokens, tool_calls (and legacy function_call) → tool_use,
   * content_filter → refusal. A stop or a missing reason after tool calls is tool_use, so Anthropic
   * clients run their tool loop; anything else unknown is end_turn. OpenAI does not say when a stop
   * sequence ended the answer, so {@code stop_sequence} is never produced.
   */
  static String stopReason(String finishReason, boolean toolUse) {
    return switch (finishReason == null ? "" : finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> toolUse ? "tool_use" : "end_turn";
    };
  }

  /** {@code chatcmpl-X} becomes {@code msg_X}, so logs on both sides can be matched. */
  static String messageId(String openAiId) {
    if (openAiId.startsWith("msg_")) {
      return openAiId;
    }
    if (openAiId.startsWith("chatcmpl-") && openAiId.length() > "chatcmpl-".length()) {
      return "msg_" + openAiId.substring("chatcmpl-".length());
    }
    return openAiId.isEmpty() ? "msg_" + UUID.randomUUID().toString().replace("-", "") : "msg_" + openAiId;
  }

  /**
   * Anthropic counts cached prompt tokens apart: {@code input_tokens} is the uncached rest. OpenAI's
   * {@code cached_tokens} are reads; the pivot's {@code cache_creation_tokens} are writes, reported
   * as {@code cache_creation_input_tokens} when the backend reported any.
   */
  static void usage(JsonNode usage, ObjectNode out) {
    long prompt = usage == null ? 0 : usage.path("prompt_tokens").asLong(0);
    long cached = usage == null ? 0 : usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    long written = usage == null ? 0 : usage.path("prompt_tokens_details").path("cache_creation_tokens").asLong(0);
    long completion = usage == null ? 0 : usage.path("completion_tokens").asLong(0);
    out.put("input_tokens", Math.max(0, prompt - cached - written));
    if (written > 0) {
      out.put("cache_creation_input_tokens", written);
    }
    out.put("cache_read_input_tokens", cached);
    out.put("output_tokens", completion);
  }
}
