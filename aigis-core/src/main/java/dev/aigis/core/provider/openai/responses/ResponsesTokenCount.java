package dev.aigis.core.provider.openai.responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.PivotRequests;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenCounter;

/**
 * Answers {@code POST /v1/responses/input_tokens} for a backend that does not speak Responses:
 * {@code {"object":"response.input_tokens","input_tokens":n}}.
 *
 * <p>An approximation counted with {@code o200k_base} ({@link TokenCounter}), like Anthropic's
 * {@code count_tokens} on other backends. Counted: {@code instructions}, input text (a string, or
 * message text parts), function calls' names and arguments, function outputs, reasoning text and
 * summaries, and each function tool's name, description and compact {@code parameters}. Not
 * counted: images and files, and the per-message framing the model adds. Thread-safe.
 */
public final class ResponsesTokenCount {

  private ResponsesTokenCount() {}

  /** @throws TranslationException 400 when the body is not an object or {@code input} is neither a string nor a list */
  public static ObjectNode count(JsonNode request) throws TranslationException {
    if (!(request instanceof ObjectNode in)) {
      throw PivotRequests.invalid("Request body must be a JSON object", null);
    }
    long tokens = TokenCounter.count(in.path("instructions").asText(""));
    JsonNode input = in.get("input");
    if (input != null && input.isTextual()) {
      tokens += TokenCounter.count(input.asText());
    } else if (input != null && input.isArray()) {
      for (JsonNode item : input) {
        tokens += item(item);
      }
    } else if (input != null && !input.isNull()) {
      throw PivotRequests.invalid("'input' must be a string or an array of items", "input");
    }
    for (JsonNode tool : in.path("tools")) {
      tokens += TokenCounter.count(tool.path("name").asText(""));
      tokens += TokenCounter.count(tool.path("description").asText(""));
      if (tool.hasNonNull("parameters")) {
        tokens += TokenCounter.count(compact(tool.get("parameters")));
      }
    }
    return Json.MAPPER.createObjectNode().put("object", "response.input_tokens").put("input_tokens", tokens);
  }

  private static long item(JsonNode item) {
    String type = item.path("type").asText(item.has("role") ? "message" : "");
    return switch (type) {
      case "message" -> text(item.get("content"));
      case "function_call" -> TokenCounter.count(item.path("name").asText(""))
          + TokenCounter.count(item.path("arguments").asText(""));
      case "function_call_output" -> text(item.get("output"));
      case "reasoning" -> text(item.get("content")) + text(item.get("summary"));
      default -> 0;
    };
  }

  /** A string, or parts whose {@code text} counts (input_text, output_text, reasoning_text, summary_text). */
  private static long text(JsonNode content) {
    if (content == null || content.isNull()) {
      return 0;
    }
    if (content.isTextual()) {
      return TokenCounter.count(content.asText());
    }
    long tokens = 0;
    for (JsonNode part : content) {
      tokens += TokenCounter.count(part.path("text").asText(""));
    }
    return tokens;
  }

  private static String compact(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree always serialises
    }
  }
}
