package dev.aigis.core.api.text;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * OpenAI chat completions: a body's {@code choices[].message.content} (a string, or content parts
 * of type {@code text} as some OpenAI-compatible servers send) and {@code refusal}; a chunk's
 * {@code delta.content} and {@code delta.refusal} of the choice with index 0. Tool-call arguments
 * and {@code reasoning_content} are not the answer's text.
 */
final class ChatCompletionsText extends TextLocator {

  @Override
  void bodySlots(JsonNode body, List<Slot> out) {
    JsonNode choices = array(body.path("choices"));
    for (int i = 0; i < choices.size(); i++) {
      JsonNode message = choices.get(i).path("message");
      JsonPointer at = root().appendProperty("choices").appendIndex(i).appendProperty("message");
      JsonNode content = message.path("content");
      if (content.isArray()) {
        JsonPointer partsAt = at.appendProperty("content");
        for (int p = 0; p < content.size(); p++) {
          if (typeIs(content.get(p), "text")) {
            stringAt(content.get(p), "text", partsAt.appendIndex(p), out);
          }
        }
      } else {
        stringAt(message, "content", at, out);
      }
      stringAt(message, "refusal", at, out);
    }
  }

  @Override
  void deltaSlots(String type, JsonNode data, List<Slot> out) {
    JsonNode choices = array(data.path("choices"));
    int first = firstChoice(choices);
    if (first < 0) {
      return;
    }
    JsonNode delta = choices.get(first).path("delta");
    JsonPointer at = root().appendProperty("choices").appendIndex(first).appendProperty("delta");
    stringAt(delta, "content", at, out);
    stringAt(delta, "refusal", at, out);
  }
}
