package dev.aigis.core.provider.anthropic.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenCounter;

/**
 * Answers {@code POST /v1/messages/count_tokens} without a backend: {@code {"input_tokens": n}}.
 *
 * <p>An approximation. Anthropic's tokenizer is not public, so this counts with OpenAI's
 * {@code o200k_base} ({@link TokenCounter}), which is usually within some ten percent on English
 * and code. Counted: system text, message text, {@code tool_use} names and compact input JSON,
 * {@code tool_result} text, text documents, thinking text, and each tool's name, description and
 * compact {@code input_schema}. Not counted: images and PDFs (their cost depends on pixels and
 * pages the gateway does not decode) and the per-message framing Anthropic adds. Thread-safe.
 */
public final class AnthropicTokenCount {

  private AnthropicTokenCount() {}

  /** @throws TranslationException 400 when {@code messages} is missing or not a list */
  public static ObjectNode count(JsonNode request) throws TranslationException {
    if (!(request instanceof ObjectNode in)) {
      throw AnthropicMessagesToPivot.invalid("Request body must be a JSON object", null);
    }
    JsonNode messages = in.get("messages");
    if (messages == null || messages.isNull()) {
      throw AnthropicMessagesToPivot.invalid("messages: Field required", "messages");
    }
    if (!messages.isArray()) {
      throw AnthropicMessagesToPivot.invalid("messages: Input should be a valid list", "messages");
    }
    long tokens = content(in.get("system"));
    for (JsonNode message : messages) {
      tokens += content(message.get("content"));
    }
    for (JsonNode tool : in.path("tools")) {
      tokens += TokenCounter.count(tool.path("name").asText(""));
      tokens += TokenCounter.count(tool.path("description").asText(""));
      JsonNode schema = tool.get("input_schema");
      if (schema != null && !schema.isNull()) {
        tokens += TokenCounter.count(AnthropicMessagesToPivot.compact(schema));
      }
    }
    return Json.MAPPER.createObjectNode().put("input_tokens", tokens);
  }

  /** A string, or blocks; recurses into {@code tool_result} content. */
  private static long content(JsonNode content) {
    if (content == null || content.isNull()) {
      return 0;
    }
    if (content.isTextual()) {
      return TokenCounter.count(content.asText());
    }
    long tokens = 0;
    for (JsonNode block : content) {
      tokens += switch (block.path("type").asText("")) {
        case "text" -> TokenCounter.count(block.path("text").asText(""));
        case "thinking" -> TokenCounter.count(block.path("thinking").asText(""));
        case "tool_use" -> TokenCounter.count(block.path("name").asText(""))
            + TokenCounter.count(AnthropicMessagesToPivot.compact(block.path("input")));
        case "tool_result" -> content(block.get("content"));
        case "document" -> "text".equals(block.path("source").path("type").asText())
            ? TokenCounter.count(block.path("source").path("data").asText(""))
            : 0;
        default -> 0;
      };
    }
    return tokens;
  }
}
