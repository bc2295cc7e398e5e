package dev.aigis.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.api.GatewayError;

/**
 * Checks every translating backend makes on an OpenAI chat request before building its own: the
 * fields no chat-only backend can express are refused with a 400 naming the field, never dropped
 * silently. Backend-specific refusals stay with each translator.
 */
public final class PivotRequests {

  private PivotRequests() {}

  /**
   * Refuses {@code n} other than 1, audio output, modalities other than text, and the deprecated
   * {@code functions}/{@code function_call}.
   *
   * @param backend the backend's name as messages show it, e.g. {@code Anthropic}
   */
  public static void refuseInexpressible(JsonNode request, String backend) throws TranslationException {
    JsonNode n = request.get("n");
    if (n != null && !n.isNull() && n.asInt(1) != 1) {
      throw invalid("'n' greater than 1 is not supported by the " + backend + " backend", "n");
    }
    if (request.hasNonNull("audio")) {
      throw invalid("audio output is not supported by the " + backend + " backend", "audio");
    }
    JsonNode modalities = request.get("modalities");
    if (modalities != null && modalities.isArray()) {
      for (JsonNode modality : modalities) {
        if (!"text".equals(modality.asText())) {
          throw invalid("only the 'text' modality is supported by the " + backend + " backend", "modalities");
        }
      }
    }
    if (request.hasNonNull("functions") || request.hasNonNull("function_call")) {
      throw invalid("the deprecated 'functions'/'function_call' are not supported by the " + backend
          + " backend; use 'tools' and 'tool_choice'", "functions");
    }
  }

  /** A 400 in the client's format naming the offending parameter. */
  public static TranslationException invalid(String message, String param) {
    return new TranslationException(new GatewayError.InvalidRequest(message, param));
  }
}
