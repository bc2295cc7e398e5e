package dev.aigis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * Converse answers for {@link FakeBedrockUpstream}: the whole-answer JSON and the ConverseStream
 * messages in AWS event-stream framing (prelude, headers, payload, both CRC32s, encoded by the
 * AWS {@code eventstream} library). Public so tests can build event streams of their own.
 */
public final class BedrockEvents {

  static final ObjectMapper JSON = new ObjectMapper();

  private BedrockEvents() {}

  /** One {@code :message-type: event} message with a JSON payload. */
  public static byte[] event(String eventType, JsonNode payload) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(eventType));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    return encode(headers, payload);
  }

  /** One {@code :message-type: exception} message, e.g. {@code throttlingException}. */
  public static byte[] exception(String exceptionType, String message) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":exception-type", HeaderValue.fromString(exceptionType));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    return encode(headers, JSON.createObjectNode().put("message", message));
  }

  private static byte[] encode(Map<String, HeaderValue> headers, JsonNode payload) {
    try {
      var buffer = new Message(headers, JSON.writeValueAsBytes(payload)).toByteBuffer();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode converse(FakeBedrockUpstream.Reply reply, JsonNode request) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode content = out.putObject("output").putObject("message").put("role", "assistant").putArray("content");
    if (!reply.text().isEmpty()) {
      content.addObject().put("text", reply.text());
    }
    for (FakeBedrockUpstream.ToolCall call : reply.toolCalls()) {
      content.addObject().putObject("toolUse").put("toolUseId", call.id()).put("name", call.name())
          .set("input", call.input());
    }
    out.put("stopReason", stopReason(reply));
    out.set("usage", usage(reply, request));
    out.putObject("metrics").put("latencyMs", 42);
    return out;
  }

  /** The stream's messages, each one event-stream frame; faults cut it as the reply says. */
  static List<byte[]> stream(FakeBedrockUpstream.Reply reply, JsonNode request) {
    List<byte[]> events = new ArrayList<>();
    int deltas = 0;
    events.add(event("messageStart", JSON.createObjectNode().put("role", "assistant")));
    int index = 0;
    if (!reply.text().isEmpty()) {
      for (String piece : pieces(reply.text())) {
        if (deltas++ == reply.exceptionAfterDeltas()) {
          events.add(exception(reply.exceptionType(), reply.exceptionMessage()));
          return events;
        }
        ObjectNode delta = JSON.createObjectNode().put("contentBlockIndex", index);
        delta.putObject("delta").put("text", piece);
        events.add(event("contentBlockDelta", delta));
      }
      events.add(event("contentBlockStop", JSON.createObjectNode().put("contentBlockIndex", index)));
      index++;
    }
    for (FakeBedrockUpstream.ToolCall call : reply.toolCalls()) {
      ObjectNode start = JSON.createObjectNode().put("contentBlockIndex", index);
      start.putObject("start").putObject("toolUse").put("toolUseId", call.id()).put("name", call.name());
      events.add(event("contentBlockStart", start));
      String input = call.input().toString();
      int half = input.length() / 2;
      for (String piece : new String[] {input.substring(0, half), input.substring(half)}) {
        if (deltas++ == reply.exceptionAfterDeltas()) {
          events.add(exception(reply.exceptionType(), reply.exceptionMessage()));
          return events;
        }
        ObjectNode delta = JSON.createObjectNode().put("contentBlockIndex", index);
        delta.putObject("delta").putObject("toolUse").put("input", piece);
        events.add(event("contentBlockDelta", delta));
      }
      events.add(event("contentBlockStop", JSON.createObjectNode().put("contentBlockIndex", index)));
      index++;
    }
    if (reply.exceptionAfterDeltas() >= 0) {
      events.add(exception(reply.exceptionType(), reply.exceptionMessage()));
      return events;
    }
    events.add(event("messageStop", JSON.createObjectNode().put("stopReason", stopReason(reply))));
    ObjectNode metadata = JSON.createObjectNode();
    metadata.set("usage", usage(reply, request));
    metadata.putObject("metrics").put("latencyMs", 42);
    events.add(event("metadata", metadata));
    if (reply.truncateAfterEvents() >= 0 && reply.truncateAfterEvents() < events.size()) {
      return events.subList(0, reply.truncateAfterEvents());
    }
    return events;
  }

  private static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == ' ') {
        pieces.add(text.substring(start, i));
        start = i;
      }
    }
    return pieces;
  }

  private static String stopReason(FakeBedrockUpstream.Reply reply) {
    if (reply.stopReason() != null) {
      return reply.stopReason();
    }
    return reply.toolCalls().isEmpty() ? "end_turn" : "tool_use";
  }

  private static ObjectNode usage(FakeBedrockUpstream.Reply reply, JsonNode request) {
    int input = reply.inputTokens() >= 0 ? reply.inputTokens() : Math.max(1, request.toString().length() / 4);
    int output = reply.outputTokens() >= 0 ? reply.outputTokens()
        : Math.max(1, (reply.text().length() + reply.toolCalls().size() * 20) / 4);
    ObjectNode usage = JSON.createObjectNode().put("inputTokens", input).put("outputTokens", output)
        .put("totalTokens", input + output + reply.cacheReadTokens());
    if (reply.cacheReadTokens() > 0) {
      usage.put("cacheReadInputTokens", reply.cacheReadTokens());
    }
    return usage;
  }
}
