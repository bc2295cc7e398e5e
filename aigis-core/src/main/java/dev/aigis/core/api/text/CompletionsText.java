package dev.aigis.core.api.text;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * OpenAI legacy completions ({@code /v1/completions}): {@code choices[].text} in a body, the first
 * choice's {@code text} in each stream chunk. An edited choice loses its {@code logprobs} (null).
 */
final class CompletionsText extends TextLocator {

  @Override
  void bodySlots(JsonNode body, List<Slot> out) {
    JsonNode choices = array(body.path("choices"));
    JsonPointer at = root().appendProperty("choices");
    for (int i = 0; i < choices.size(); i++) {
      JsonPointer choiceAt = at.appendIndex(i);
      stringAt(choices.get(i), "text", choiceAt, tokens(choices.get(i), "logprobs", choiceAt, NULL), out);
    }
  }

  @Override
  void deltaSlots(String type, JsonNode data, List<Slot> out) {
    JsonNode choices = array(data.path("choices"));
    int first = firstChoice(choices);
    if (first >= 0) {
      JsonPointer choiceAt = root().appendProperty("choices").appendIndex(first);
      stringAt(choices.get(first), "text", choiceAt, tokens(choices.get(first), "logprobs", choiceAt, NULL), out);
    }
  }
}
