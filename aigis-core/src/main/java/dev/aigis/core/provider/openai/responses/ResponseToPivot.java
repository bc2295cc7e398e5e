package dev.aigis.core.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.openai.OpenAiChatWire;
import java.io.IOException;

/**
 * A Responses API {@code response} as a pivot {@code chat.completion}: {@code message} items'
 * {@code output_text} joined as the content (refusals as {@code refusal}), {@code reasoning} items
 * as {@code reasoning_content} (their text, else their summaries), {@code function_call} items as
 * {@code tool_calls} with {@code call_id} as the id; built-in tool items are not expected (the
 * request has none) and are skipped. Stateless.
 */
final class ResponseToPivot {

  static final String PROVIDER = "OpenAI";

  private ResponseToPivot() {}

  static ObjectNode completion(byte[] body) throws TranslationException {
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw OpenAiChatWire.invalid(PROVIDER, "response is not valid JSON");
    }
    if (!(tree instanceof ObjectNode response) || !"response".equals(response.path("object").asText(null))
        || !response.path("output").isArray()) {
      throw OpenAiChatWire.invalid(PROVIDER, "response is not a Responses API response");
    }
    if ("failed".equals(response.path("status").asText())) {
      throw failed(response);
    }
    return translate(response);
  }

  static ObjectNode translate(JsonNode response) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", response.path("id").asText(""));
    out.put("object", "chat.completion");
    out.put("created", response.path("created_at").asLong(0));
    out.put("model", response.path("model").asText(""));
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    StringBuilder text = new StringBuilder();
    StringBuilder refusal = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    for (JsonNode item : response.path("output")) {
      switch (item.path("type").asText("")) {
        case "message" -> {
          for (JsonNode part : item.path("content")) {
            switch (part.path("type").asText("")) {
              case "output_text" -> text.append(part.path("text").asText(""));
              case "refusal" -> refusal.append(part.path("refusal").asText(""));
              default -> { }
            }
          }
        }
        case "reasoning" -> reasoning.append(reasoningText(item));
        case "function_call" -> {
          ObjectNode call = calls.addObject().put("id", item.path("call_id").asText("")).put("type", "function");
          call.putObject("function").put("name", item.path("name").asText(""))
              .put("arguments", item.path("arguments").asText(""));
        }
        default -> { }
      }
    }
    if (text.isEmpty() && !calls.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", text.toString());
    }
    if (!refusal.isEmpty()) {
      message.put("refusal", refusal.toString());
    }
    if (!reasoning.isEmpty()) {
      message.put("reasoning_content", reasoning.toString());
    }
    if (!calls.isEmpty()) {
      message.set("tool_calls", calls);
    }
    choice.put("finish_reason", finishReason(response, !calls.isEmpty()));
    ObjectNode usage = usage(response.get("usage"));
    if (usage != null) {
      out.set("usage", usage);
    }
    return out;
  }

  static String finishReason(JsonNode response, boolean calledTools) {
    if ("incomplete".equals(response.path("status").asText())) {
      return switch (response.path("incomplete_details").path("reason").asText("")) {
        case "content_filter" -> "content_filter";
        default -> "length";
      };
    }
    return calledTools ? "tool_calls" : "stop";
  }

  static String reasoningText(JsonNode item) {
    StringBuilder text = new StringBuilder();
    for (JsonNode part : item.path("content")) {
      text.append(part.path("text").asText(""));
    }
    if (text.isEmpty()) {
      for (JsonNode part : item.path("summary")) {
        if (!text.isEmpty()) {
          text.append("\n\n");
        }
        text.append(part.path("text").asText(""));
      }
    }
    return text.toString();
  }

  /** Responses usage in the pivot's shape, or null. */
  static ObjectNode usage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long input = usage.path("input_tokens").asLong(0);
    long output = usage.path("output_tokens").asLong(0);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("prompt_tokens", input);
    out.put("completion_tokens", output);
    out.put("total_tokens", usage.path("total_tokens").asLong(input + output));
    out.putObject("prompt_tokens_details")
        .put("cached_tokens", usage.path("input_tokens_details").path("cached_tokens").asLong(0));
    out.putObject("completion_tokens_details")
        .put("reasoning_tokens", usage.path("output_tokens_details").path("reasoning_tokens").asLong(0));
    return out;
  }

  /** A response whose status is {@code failed}: its {@code error} as the provider's error. */
  static TranslationException failed(JsonNode response) {
    JsonNode error = response.path("error");
    return new TranslationException(new GatewayError.ProviderError(502, "server_error",
        error.path("code").asText("upstream_error"),
        error.path("message").asText("The upstream response failed"), PROVIDER));
  }
}
