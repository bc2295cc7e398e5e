package dev.aigis.core.api.text;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Anthropic messages: a body's {@code content[]} blocks of type {@code text}; in a stream, only
 * {@code content_block_delta} events with a {@code text_delta} add text ({@code thinking_delta},
 * {@code input_json_delta} and {@code citations_delta} do not). The {@code text} of a
 * {@code content_block_start} is always empty in Anthropic's streams and is not read.
 */
final class AnthropicMessagesText extends TextLocator {

  @Override
  void bodySlots(JsonNode body, List<Slot> out) {
    JsonNode content = array(body.path("content"));
    JsonPointer at = root().appendProperty("content");
    for (int i = 0; i < content.size(); i++) {
      if (typeIs(content.get(i), "text")) {
        stringAt(content.get(i), "text", at.appendIndex(i), out);
      }
    }
  }

  @Override
  boolean typedEvents() {
    return true;
  }

  @Override
  EventKind kindOf(String type) {
    return "content_block_delta".equals(type) ? EventKind.DELTA : EventKind.NONE;
  }

  @Override
  void deltaSlots(String type, JsonNode data, List<Slot> out) {
    JsonNode delta = data.path("delta");
    if ("content_block_delta".equals(type) && typeIs(delta, "text_delta")) {
      stringAt(delta, "text", root().appendProperty("delta"), out);
    }
  }
}
