package dev.aigis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.testkit.FakeAnthropicUpstream.Reply;
import dev.aigis.testkit.FakeAnthropicUpstream.ToolCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One scripted reply as Anthropic's answer: a {@code message} object, or the SSE events of a
 * stream, faults applied. Text streams word by word; tool input JSON in three pieces after an
 * empty first delta, as the real API does.
 */
final class AnthropicEvents {

  private final Reply reply;
  private final String id;
  private final String model;
  private final long input;
  private final long output;

  AnthropicEvents(Reply reply, JsonNode request, String id) {
    this.reply = reply;
    this.id = id;
    this.model = request.path("model").asText();
    this.input = reply.inputTokens() >= 0 ? reply.inputTokens() : estimateInput(request);
    this.output = reply.outputTokens() >= 0 ? reply.outputTokens()
        : Math.max(1, words(reply.text()).size() + 5L * reply.toolCalls().size());
  }

  /** About four characters a token, over system, message text and tool definitions; at least 1. */
  static long estimateInput(JsonNode request) {
    long chars = request.path("system").toString().length()
        + request.path("messages").toString().length() + request.path("tools").toString().length();
    return Math.max(1, chars / 4);
  }

  static ObjectNode error(String type, String message) {
    ObjectNode body = FakeAnthropicUpstream.JSON.createObjectNode().put("type", "error");
    body.putObject("error").put("type", type).put("message", message);
    return body;
  }

  ObjectNode message() {
    ObjectNode message = shell();
    ArrayNode content = message.putArray("content");
    if (reply.thinking() != null) {
      content.addObject().put("type", "thinking").put("thinking", reply.thinking())
          .put("signature", Reply.signatureOf(reply.thinking()));
    }
    if (!reply.text().isEmpty()) {
      content.addObject().put("type", "text").put("text", reply.text());
    }
    for (ToolCall call : reply.toolCalls()) {
      content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
          .set("input", parse(call.inputJson()));
    }
    message.put("stop_reason", stopReason());
    usage(message.putObject("usage"), output);
    return message;
  }

  List<String> stream() {
    List<String> events = new ArrayList<>();
    ObjectNode start = FakeAnthropicUpstream.JSON.createObjectNode().put("type", "message_start");
    ObjectNode shell = start.putObject("message");
    shell.setAll(shell());
    shell.putArray("content");
    shell.putNull("stop_reason");
    usage(shell.putObject("usage"), 1);
    events.add(event(start));
    events.add(event(node("ping")));
    List<ObjectNode> content = new ArrayList<>();
    int index = 0;
    if (reply.thinking() != null) {
      content.add(blockStart(index, FakeAnthropicUpstream.JSON.createObjectNode()
          .put("type", "thinking").put("thinking", "").put("signature", "")));
      for (String word : words(reply.thinking())) {
        content.add(delta(index, "thinking_delta", "thinking", word));
      }
      content.add(delta(index, "signature_delta", "signature", Reply.signatureOf(reply.thinking())));
      content.add(node("content_block_stop").put("index", index++));
    }
    if (!reply.text().isEmpty()) {
      content.add(blockStart(index, FakeAnthropicUpstream.JSON.createObjectNode()
          .put("type", "text").put("text", "")));
      for (String word : words(reply.text())) {
        content.add(delta(index, "text_delta", "text", word));
      }
      content.add(node("content_block_stop").put("index", index++));
    }
    for (ToolCall call : reply.toolCalls()) {
      ObjectNode block = FakeAnthropicUpstream.JSON.createObjectNode().put("type", "tool_use")
          .put("id", call.id()).put("name", call.name());
      block.putObject("input");
      content.add(blockStart(index, block));
      content.add(delta(index, "input_json_delta", "partial_json", ""));
      String json = parse(call.inputJson()).toString();
      int third = Math.max(1, json.length() / 3);
      for (int from = 0; from < json.length(); from += third) {
        content.add(delta(index, "input_json_delta", "partial_json",
            json.substring(from, Math.min(json.length(), from + third))));
      }
      content.add(node("content_block_stop").put("index", index++));
    }
    int deltas = 0;
    for (ObjectNode event : content) {
      if (reply.errorAfterDeltas() >= 0 && deltas == reply.errorAfterDeltas()) {
        events.add(event(error(reply.errorType(), reply.errorMessage())));
        return truncated(events);
      }
      if (event.path("type").asText().equals("content_block_delta")) {
        deltas++;
      }
      events.add(event(event));
    }
    if (reply.errorAfterDeltas() >= 0) {
      events.add(event(error(reply.errorType(), reply.errorMessage())));
      return truncated(events);
    }
    ObjectNode messageDelta = node("message_delta");
    messageDelta.putObject("delta").put("stop_reason", stopReason()).putNull("stop_sequence");
    messageDelta.putObject("usage").put("output_tokens", output);
    events.add(event(messageDelta));
    events.add(event(node("message_stop")));
    return truncated(events);
  }

  private List<String> truncated(List<String> events) {
    int keep = reply.truncateAfterEvents();
    return keep >= 0 && keep < events.size() ? events.subList(0, keep) : events;
  }

  private ObjectNode shell() {
    return FakeAnthropicUpstream.JSON.createObjectNode().put("id", id).put("type", "message")
        .put("role", "assistant").put("model", model).putNull("stop_sequence");
  }

  private void usage(ObjectNode usage, long outputTokens) {
    usage.put("input_tokens", input)
        .put("cache_creation_input_tokens", reply.cacheCreationTokens())
        .put("cache_read_input_tokens", reply.cacheReadTokens())
        .put("output_tokens", outputTokens);
  }

  private String stopReason() {
    if (reply.stopReason() != null) {
      return reply.stopReason();
    }
    return reply.toolCalls().isEmpty() ? "end_turn" : "tool_use";
  }

  private static ObjectNode blockStart(int index, ObjectNode block) {
    ObjectNode event = node("content_block_start").put("index", index);
    event.set("content_block", block);
    return event;
  }

  private static ObjectNode delta(int index, String type, String field, String value) {
    ObjectNode event = node("content_block_delta").put("index", index);
    event.putObject("delta").put("type", type).put(field, value);
    return event;
  }

  private static ObjectNode node(String type) {
    return FakeAnthropicUpstream.JSON.createObjectNode().put("type", type);
  }

  private static String event(ObjectNode data) {
    return "event: " + data.path("type").asText() + "\ndata: " + data + "\n\n";
  }

  /** Words with their leading space, so the pieces concatenate back to the text. */
  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == ' ') {
        if (i > start) {
          words.add(text.substring(start, i));
        }
        start = i;
      }
    }
    return words;
  }

  private static JsonNode parse(String json) {
    try {
      return FakeAnthropicUpstream.JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
