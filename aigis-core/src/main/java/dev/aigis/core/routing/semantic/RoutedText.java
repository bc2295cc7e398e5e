package dev.aigis.core.routing.semantic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The text of a pivot request (OpenAI chat form, whatever the client's API) that is classified. */
final class RoutedText {

  private RoutedText() {}

  /** The last user turn, or every user turn joined by newlines; "" when there is none. */
  static String of(JsonNode pivot, boolean allUserTurns) {
    JsonNode messages = pivot.path("messages");
    List<String> turns = new ArrayList<>();
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if ("user".equals(message.path("role").asText())) {
        String text = text(message.get("content"));
        if (!text.isBlank()) {
          turns.addFirst(text);
          if (!allUserTurns) {
            break;
          }
        }
      }
    }
    return String.join("\n", turns);
  }

  private static String text(JsonNode content) {
    if (content == null) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("text").isTextual()) {
        out.append(out.isEmpty() ? "" : "\n").append(part.path("text").asText());
      }
    }
    return out.toString();
  }
}
