package dev.aigis.core.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenUsage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.eventstream.Message;

/**
 * One ConverseStream answer as OpenAI chunks. Holds the event-stream decoder's partial message,
 * which content blocks are tool uses (and their OpenAI tool-call index), and usage. Failures are
 * sticky: after an exception message or bad framing every later call throws the same exception.
 * Not thread-safe; one per stream.
 */
final class ConverseStreamTranslation {

  private final EventStreamDecoder decoder = new EventStreamDecoder();
  /** Converse content block index to OpenAI tool-call index; text blocks are absent. */
  private final Map<Integer, Integer> toolCalls = new HashMap<>();
  private final String id;
  private final String model;
  private final long created;
  private TokenUsage usage;
  private boolean started;
  private boolean stopped;
  private boolean done;
  private TranslationException failure;

  ConverseStreamTranslation(String id, String model, long created) {
    this.id = id;
    this.model = model;
    this.created = created;
  }

  TokenUsage usage() {
    return usage;
  }

  /** Messages before a framing problem are translated first: an exception message among them is the failure. */
  void bytes(byte[] bytes, Consumer<ObjectNode> chunks) throws TranslationException {
    rethrow();
    List<Message> messages;
    TranslationException framing = null;
    try {
      messages = decoder.feed(bytes);
    } catch (EventStreamDecoder.FramingException e) {
      messages = e.before();
      framing = BedrockJson.invalid(e.getMessage());
    }
    try {
      for (Message message : messages) {
        if (!done) {
          message(message, chunks);
        }
      }
    } catch (TranslationException e) {
      failure = e;
    }
    if (failure == null) {
      failure = framing;
    }
    rethrow();
  }

  /** Complete after {@code messageStop}; a missing {@code metadata} event then only costs usage. */
  void end(Consumer<ObjectNode> chunks) throws TranslationException {
    rethrow();
    if (!stopped || decoder.partial()) {
      failure = BedrockJson.invalid("the stream ended before messageStop and metadata");
      throw failure;
    }
    if (!done) {
      done = true;
      chunks.accept(usageChunk());
    }
  }

  private void rethrow() throws TranslationException {
    if (failure != null) {
      throw failure;
    }
  }

  private void message(Message message, Consumer<ObjectNode> chunks) throws TranslationException {
    BedrockJson.throwIfFailure(message);
    String messageType = header(message, ":message-type");
    if (!"event".equals(messageType)) {
      throw BedrockJson.invalid("event-stream message of type " + messageType);
    }
    String event = String.valueOf(header(message, ":event-type"));
    ObjectNode payload = BedrockJson.object(message.getPayload(), "the " + event + " event");
    if (!started && !event.equals("messageStart")) {
      throw BedrockJson.invalid("stream event " + event + " before messageStart");
    }
    switch (event) {
      case "messageStart" -> {
        started = true;
        chunks.accept(chunk(Json.MAPPER.createObjectNode().put("role", "assistant").put("content", ""), null));
      }
      case "contentBlockStart" -> {
        JsonNode toolUse = payload.path("start").get("toolUse");
        if (toolUse != null && toolUse.isObject()) {
          int toolIndex = toolCalls.size();
          toolCalls.put(payload.path("contentBlockIndex").asInt(), toolIndex);
          ObjectNode call = toolCall(toolIndex).put("id", toolUse.path("toolUseId").asText())
              .put("type", "function");
          call.putObject("function").put("name", toolUse.path("name").asText()).put("arguments", "");
          chunks.accept(chunk(toolDelta(call), null));
        }
      }
      case "contentBlockDelta" -> delta(payload, chunks);
      case "messageStop" -> {
        stopped = true;
        String finish = BedrockJson.finishReason(payload.path("stopReason").asText(null));
        chunks.accept(chunk(Json.MAPPER.createObjectNode(), finish == null ? "stop" : finish));
      }
      case "metadata" -> {
        TokenUsage reported = BedrockJson.usage(payload.get("usage"));
        if (reported != null) {
          usage = reported;
        }
        if (stopped) {
          done = true;
          chunks.accept(usageChunk());
        }
      }
      default -> { } // contentBlockStop, and event types added later
    }
  }

  private void delta(ObjectNode payload, Consumer<ObjectNode> chunks) {
    JsonNode delta = payload.path("delta");
    JsonNode text = delta.get("text");
    if (text != null && text.isTextual() && !text.asText().isEmpty()) {
      chunks.accept(chunk(Json.MAPPER.createObjectNode().put("content", text.asText()), null));
      return;
    }
    Integer toolIndex = toolCalls.get(payload.path("contentBlockIndex").asInt());
    String input = delta.path("toolUse").path("input").asText("");
    if (toolIndex != null && !input.isEmpty()) {
      ObjectNode call = toolCall(toolIndex);
      call.putObject("function").put("arguments", input);
      chunks.accept(chunk(toolDelta(call), null));
    }
    JsonNode reasoning = delta.path("reasoningContent");
    if (reasoning.isObject()) {
      reasoning(reasoning, chunks);
    }
  }

  /**
   * Claude's reasoning on Bedrock, in the pivot's terms: its text as {@code reasoning_content}, its
   * signature (which ends the block) and redacted content as {@code thinking_blocks} entries.
   */
  private void reasoning(JsonNode reasoning, Consumer<ObjectNode> chunks) {
    String text = reasoning.path("text").asText("");
    if (!text.isEmpty()) {
      chunks.accept(chunk(Json.MAPPER.createObjectNode().put("reasoning_content", text), null));
    }
    ObjectNode block = null;
    if (reasoning.path("signature").isTextual()) {
      block = Json.MAPPER.createObjectNode().put("type", "thinking")
          .put("signature", reasoning.get("signature").asText());
    } else if (reasoning.path("redactedContent").isTextual()) {
      block = Json.MAPPER.createObjectNode().put("type", "redacted_thinking")
          .put("data", reasoning.get("redactedContent").asText());
    }
    if (block != null) {
      ObjectNode delta = Json.MAPPER.createObjectNode();
      delta.putArray("thinking_blocks").add(block);
      chunks.accept(chunk(delta, null));
    }
  }

  private ObjectNode usageChunk() {
    ObjectNode last = base();
    last.putArray("choices");
    last.set("usage", BedrockJson.usageNode(usage == null ? TokenUsage.NONE : usage));
    return last;
  }

  private static String header(Message message, String name) {
    return BedrockJson.header(message, name);
  }

  private static ObjectNode toolCall(int toolIndex) {
    return Json.MAPPER.createObjectNode().put("index", toolIndex);
  }

  private static ObjectNode toolDelta(ObjectNode call) {
    ObjectNode delta = Json.MAPPER.createObjectNode();
    delta.putArray("tool_calls").add(call);
    return delta;
  }

  private ObjectNode base() {
    ObjectNode chunk = Json.MAPPER.createObjectNode();
    chunk.put("id", id).put("object", "chat.completion.chunk").put("created", created)
        .put("model", model);
    return chunk;
  }

  private ObjectNode chunk(ObjectNode delta, String finishReason) {
    ObjectNode chunk = base();
    ArrayNode choices = chunk.putArray("choices");
    ObjectNode choice = choices.addObject().put("index", 0);
    choice.set("delta", delta);
    choice.put("finish_reason", finishReason);
    return chunk;
  }
}
