package dev.aigis.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * A tool call's arguments as the JSON object they encode (OpenAI carries them as a string; the
   * other APIs want the object). Blank arguments are an empty object; anything that is not a JSON
   * object is a 400 naming {@code where}.
   */
  public static JsonNode toolArguments(JsonNode arguments, String where) throws TranslationException {
    String text = arguments == null || arguments.isNull() ? "" : arguments.asText();
    if (text.isBlank()) {
      return Json.MAPPER.createObjectNode();
    }
    JsonNode parsed;
    try {
      parsed = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      parsed = null;
    }
    if (parsed == null || !parsed.isObject()) {
      throw invalid("'" + where + ".function.arguments' is not a JSON object", "messages");
    }
    return parsed;
  }

  /**
   * The text of message content that is a string or an array of text parts (assistant refusal
   * parts count as text); any other part type is a 400 naming where it is.
   */
  public static List<String> textParts(JsonNode content, String where, String backend) throws TranslationException {
    if (content == null || content.isNull()) {
      return List.of();
    }
    if (content.isTextual()) {
      return List.of(content.asText());
    }
    requireArray(content, where);
    List<String> texts = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      JsonNode typeNode = part.get("type");
      String type = typeNode == null || typeNode.isNull() ? null : typeNode.asText();
      if ("text".equals(type)) {
        texts.add(part.path("text").asText());
      } else if ("refusal".equals(type)) {
        texts.add(part.path("refusal").asText());
      } else {
        throw invalid("content part type '" + type + "' in '" + where + "[" + j
            + "]' is not supported here by the " + backend + " backend", "messages");
      }
    }
    return texts;
  }

  /** A 400 unless {@code node} is an array; the parameter named is the path's first segment. */
  public static void requireArray(JsonNode node, String where) throws TranslationException {
    if (node == null || !node.isArray()) {
      throw invalid("'" + where + "' must be an array", where.split("[\\[.]")[0]);
    }
  }
}
