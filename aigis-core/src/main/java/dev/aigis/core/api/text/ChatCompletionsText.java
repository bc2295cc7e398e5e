package dev.aigis.core.api.text;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * OpenAI chat completions: a body's {@code choices[].message.content} (a string, or content parts
 * of type {@code text} as some OpenAI-compatible servers send) and {@code refusal}; a chunk's
 * {@code delta.content} and {@code delta.refusal} of the choice with index 0. Tool-call arguments
 * and {@code reasoning_content} are not the answer's text. An edited choice loses its
 * {@code logprobs} (null), whose tokens would spell the original text.
 */
final class ChatCompletionsText extends TextLocator {

  @Override
  void bodySlots(JsonNode body, List<Slot> out) {
    JsonNode choices = array(body.path("choices"));
    for (int i = 0; i < choices.size(); i++) {
      JsonPointer choiceAt = root().appendProperty("choices").appendIndex(i);
      Slot.Tokens tokens = tokens(choices.get(i), "logprobs", choiceAt, NULL);
      JsonNode message = choices.get(i).path("message");
      JsonPointer at = choiceAt.appendProperty("message");
      JsonNode content = message.path("content");
      if (content.isArray()) {
        JsonPointer partsAt = at.appendProperty("content");
        for (int p = 0; p < content.size(); p++) {
          if (typeIs(content.get(p), "text")) {
            stringAt(content.get(p), "text", partsAt.appendIndex(p), tokens, out);
          }
        }
      } else {
        stringAt(message, "content", at, tokens, out);
      }
      stringAt(message, "refusal", at, tokens, out);
    }
  }

  @Override
  void deltaSlots(String type, JsonNode data, List<Slot> out) {
    JsonNode choices = array(data.path("choices"));
    int first = firstChoice(choices);
    if (first < 0) {
      return;
    }
    JsonPointer choiceAt = root().appendProperty("choices").appendIndex(first);
    Slot.Tokens tokens = tokens(choices.get(first), "logprobs", choiceAt, NULL);
    JsonNode delta = choices.get(first).path("delta");
    JsonPointer at = choiceAt.appendProperty("delta");
    stringAt(delta, "content", at, tokens, out);
    stringAt(delta, "refusal", at, tokens, out);
  }
}
