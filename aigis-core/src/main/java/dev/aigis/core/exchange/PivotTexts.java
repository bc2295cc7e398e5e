package dev.aigis.core.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's words in a pivot request (OpenAI chat form, whatever the client's API), as the
 * processors that work on meaning read them: the router classifies them, the cache keys and
 * compares them, retrieval searches with them. A message's content is a string or a list of parts;
 * text parts are joined by newlines.
 */
public final class PivotTexts {

  private PivotTexts() {}

  /** The last user message's text; "" when there is none. */
  public static String lastUser(JsonNode pivot) {
    JsonNode messages = pivot.path("messages");
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if ("user".equals(message.path("role").asText())) {
        return text(message.get("content"));
      }
    }
    return "";
  }

  /** Every user message's text that is not blank, oldest first, joined by newlines. */
  public static String userTurns(JsonNode pivot) {
    List<String> turns = new ArrayList<>();
    for (JsonNode message : pivot.path("messages")) {
      if ("user".equals(message.path("role").asText())) {
        String text = text(message.get("content"));
        if (!text.isBlank()) {
          turns.add(text);
        }
      }
    }
    return String.join("\n", turns);
  }

  /** The text of a message's content: a string, or its text parts joined; "" when it has none. */
  public static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("text").isTextual()) {
        out.append(out.isEmpty() ? "" : "\n").append(part.get("text").asText());
      }
    }
    return out.toString();
  }

  /**
   * The text of a content made of text alone (a string, or parts that are all text), or null when
   * it holds anything else (an image, audio, a file): whoever compares meanings must not take two
   * questions about different images for the same one.
   */
  public static String textOnly(JsonNode content) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      return null;
    }
    for (JsonNode part : content) {
      if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
        return null;
      }
    }
    return text(content);
  }
}
