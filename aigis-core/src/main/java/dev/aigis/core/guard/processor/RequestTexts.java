package dev.aigis.core.guard.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts of a pivot request (OpenAI chat form, whatever the client's API) that the request-side
 * guards read and PII redaction may rewrite: message contents written as a string or as text
 * parts, chosen by a {@link MessageScope}. Tool results arrive as {@code tool} messages in the
 * pivot, Anthropic's and Gemini's included, so indirect injection is read where it enters.
 */
final class RequestTexts {

  /** One text field of the pivot: {@code holder.field} is a string. */
  record Slot(ObjectNode holder, String field) {
    String text() {
      return holder.path(field).asText("");
    }

    void replace(String text) {
      holder.put(field, text);
    }
  }

  private RequestTexts() {}

  static List<Slot> select(ObjectNode pivot, MessageScope scope) {
    JsonNode messages = pivot.path("messages");
    List<Slot> slots = new ArrayList<>();
    if (!messages.isArray()) {
      return slots;
    }
    int from = 0;
    int to = messages.size();
    if (scope == MessageScope.LAST_USER) {
      from = to;
      for (int i = messages.size() - 1; i >= 0; i--) {
        if ("user".equals(messages.get(i).path("role").asText())) {
          from = i;
          break;
        }
      }
      to = Math.min(from + 1, messages.size());
    }
    for (int i = from; i < to; i++) {
      JsonNode message = messages.get(i);
      if (!(message instanceof ObjectNode object) || !scope.includes(message.path("role").asText())) {
        continue;
      }
      JsonNode content = object.get("content");
      if (content != null && content.isTextual()) {
        slots.add(new Slot(object, "content"));
      } else if (content != null && content.isArray()) {
        for (JsonNode part : content) {
          if (part instanceof ObjectNode p && part.path("text").isTextual()) {
            slots.add(new Slot(p, "text"));
          }
        }
      }
    }
    return slots;
  }
}
