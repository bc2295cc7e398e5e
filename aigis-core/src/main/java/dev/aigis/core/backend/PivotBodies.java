package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.anthropic.OpenAiToAnthropicChatTranslator;
import dev.aigis.core.provider.gemini.OpenAiToGeminiChatTranslator;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A request body in the client's own API, rebuilt from a pivot a processor edited (PII redaction,
 * say): what a native backend gets in the data plane, and what the ext_proc server hands back to
 * Envoy, which forwards the client's format. OpenAI chat is the pivot itself; a legacy completion
 * keeps its shape with the edited prompt; Anthropic and Gemini requests are re-encoded by their
 * translators (fields the pivot cannot hold, such as {@code cache_control}, are then lost: the
 * edit wins over them). Other endpoints keep their body.
 */
public final class PivotBodies {

  private PivotBodies() {}

  /**
   * @param original the client's body, for shapes the pivot only partly holds
   * @param anthropicVersion the {@code anthropic_version} an Anthropic body is encoded for
   */
  public static byte[] clientBody(ApiEndpoint endpoint, ObjectNode pivot, byte[] original, String model, boolean stream,
      String anthropicVersion) throws TranslationException {
    return switch (endpoint) {
      case CHAT_COMPLETIONS -> serialise(pivot);
      case COMPLETIONS -> {
        ObjectNode shape = (ObjectNode) TranslatingAdapter.parse(original);
        var prompt = new StringBuilder();
        for (JsonNode message : pivot.path("messages")) {
          if ("user".equals(message.path("role").asText())) {
            prompt.append(message.path("content").asText(""));
          }
        }
        shape.put("prompt", prompt.toString());
        yield serialise(shape);
      }
      case ANTHROPIC_MESSAGES -> new OpenAiToAnthropicChatTranslator(anthropicVersion)
          .chatRequest(pivot, new BackendCall(pivot.path("model").asText(null), stream, "")).body();
      case GEMINI_GENERATE_CONTENT, GEMINI_STREAM_GENERATE_CONTENT -> new OpenAiToGeminiChatTranslator(
          new OpenAiToGeminiChatTranslator.Target.GoogleAi()).chatRequest(pivot, new BackendCall(model, stream, ""))
          .body();
      default -> original;
    };
  }

  private static byte[] serialise(JsonNode tree) {
    try {
      return Json.MAPPER.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
