package dev.aigis.core.api.text;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * OpenAI Responses: the {@code output_text} and {@code refusal} content parts of {@code message}
 * output items. A stream adds text with {@code response.output_text.delta} and
 * {@code response.refusal.delta}, then repeats each whole text in the {@code .done} events of the
 * text, its content part and its output item, and the whole response in
 * {@code response.completed} (or {@code .incomplete}, {@code .failed}): a client that reads those
 * must see the same edited text as one that adds up the deltas. Reasoning summaries and function
 * call arguments are not the answer's text. An edited text loses its {@code logprobs} (an empty
 * list), whose tokens would spell the original.
 */
final class ResponsesText extends TextLocator {

  @Override
  void bodySlots(JsonNode body, List<Slot> out) {
    JsonNode output = array(body.path("output"));
    JsonPointer at = root().appendProperty("output");
    for (int i = 0; i < output.size(); i++) {
      itemSlots(output.get(i), at.appendIndex(i), out);
    }
  }

  /** The SDKs' {@code output_text} convenience, when a server puts it on the wire: the texts joined. */
  @Override
  void bodyEchoSlots(JsonNode body, List<Slot> out) {
    stringAt(body, "output_text", root(), out);
  }

  @Override
  boolean typedEvents() {
    return true;
  }

  @Override
  EventKind kindOf(String type) {
    return type == null ? EventKind.NONE : switch (type) {
      case "response.output_text.delta", "response.refusal.delta" -> EventKind.DELTA;
      case "response.output_text.done", "response.refusal.done", "response.content_part.done",
          "response.output_item.done", "response.completed", "response.incomplete", "response.failed" ->
          EventKind.WHOLE_TEXT;
      default -> EventKind.NONE;
    };
  }

  @Override
  void deltaSlots(String type, JsonNode data, List<Slot> out) {
    if (kindOf(type) == EventKind.DELTA) {
      stringAt(data, "delta", root(), tokens(data, "logprobs", root(), EMPTY_ARRAY), out);
    }
  }

  @Override
  void wholeTextSlots(String type, JsonNode data, List<Slot> out) {
    switch (type) {
      case "response.output_text.done" ->
          stringAt(data, "text", root(), tokens(data, "logprobs", root(), EMPTY_ARRAY), out);
      case "response.refusal.done" -> stringAt(data, "refusal", root(), out);
      case "response.content_part.done" -> partSlots(data.path("part"), root().appendProperty("part"), out);
      case "response.output_item.done" -> itemSlots(data.path("item"), root().appendProperty("item"), out);
      case "response.completed", "response.incomplete", "response.failed" -> {
        JsonNode response = data.path("response");
        JsonPointer at = root().appendProperty("response");
        JsonNode output = array(response.path("output"));
        for (int i = 0; i < output.size(); i++) {
          itemSlots(output.get(i), at.appendProperty("output").appendIndex(i), out);
        }
        stringAt(response, "output_text", at, out);
      }
      default -> { }
    }
  }

  private static void itemSlots(JsonNode item, JsonPointer at, List<Slot> out) {
    if (!typeIs(item, "message")) {
      return;
    }
    JsonNode content = array(item.path("content"));
    for (int i = 0; i < content.size(); i++) {
      partSlots(content.get(i), at.appendProperty("content").appendIndex(i), out);
    }
  }

  private static void partSlots(JsonNode part, JsonPointer at, List<Slot> out) {
    if (typeIs(part, "output_text")) {
      stringAt(part, "text", at, tokens(part, "logprobs", at, EMPTY_ARRAY), out);
    } else if (typeIs(part, "refusal")) {
      stringAt(part, "refusal", at, out);
    }
  }
}
