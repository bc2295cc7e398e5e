package dev.aigis.core.provider.gemini.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenCounter;

/**
 * Answers Gemini's {@code :countTokens} for backends of other schemas, without a call:
 * {@code {"totalTokens": n}}. An approximation with OpenAI's {@code o200k_base}
 * ({@link TokenCounter}), like the Anthropic count: text parts (thoughts included), function call
 * names and compact arguments, compact function responses, the system instruction, and each
 * declaration's name, description and compact parameters. Images and files are not counted (their
 * cost depends on pixels and pages the gateway does not decode). Thread-safe.
 */
public final class GeminiTokenCount {

  private GeminiTokenCount() {}

  /**
   * @param request {@code {"contents": [...]}} or {@code {"generateContentRequest": {...}}}
   * @throws TranslationException 400 when neither holds {@code contents}
   */
  public static ObjectNode count(JsonNode request) throws TranslationException {
    JsonNode in = request.has("generateContentRequest") ? request.get("generateContentRequest") : request;
    JsonNode contents = in.get("contents");
    if (contents == null || !contents.isArray()) {
      throw GeminiToPivot.invalid("* CountTokensRequest.contents: contents is not specified", "contents");
    }
    long tokens = parts(in.path("systemInstruction").path("parts"));
    for (JsonNode content : contents) {
      tokens += parts(content.path("parts"));
    }
    for (JsonNode tool : in.path("tools")) {
      for (JsonNode declaration : tool.path("functionDeclarations")) {
        tokens += TokenCounter.count(declaration.path("name").asText(""));
        tokens += TokenCounter.count(declaration.path("description").asText(""));
        JsonNode parameters = declaration.has("parametersJsonSchema") ? declaration.get("parametersJsonSchema")
            : declaration.get("parameters");
        if (parameters != null && !parameters.isNull()) {
          tokens += TokenCounter.count(GeminiToPivot.compact(parameters));
        }
      }
    }
    return Json.MAPPER.createObjectNode().put("totalTokens", tokens);
  }

  private static long parts(JsonNode parts) {
    long tokens = 0;
    for (JsonNode part : parts) {
      if (part.path("text").isTextual()) {
        tokens += TokenCounter.count(part.get("text").asText());
      } else if (part.has("functionCall")) {
        tokens += TokenCounter.count(part.path("functionCall").path("name").asText(""))
            + TokenCounter.count(GeminiToPivot.compact(part.path("functionCall").path("args")));
      } else if (part.has("functionResponse")) {
        tokens += TokenCounter.count(GeminiToPivot.compact(part.path("functionResponse").path("response")));
      }
    }
    return tokens;
  }
}
