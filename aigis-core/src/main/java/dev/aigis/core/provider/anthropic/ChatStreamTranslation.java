package dev.aigis.core.provider.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.anthropic.wire.ContentBlock;
import dev.aigis.core.provider.anthropic.wire.Delta;
import dev.aigis.core.provider.anthropic.wire.ErrorDetail;
import dev.aigis.core.provider.anthropic.wire.StreamEvent;
import dev.aigis.core.provider.anthropic.wire.Usage;
import dev.aigis.core.sse.SseDecoder;
import dev.aigis.core.sse.SseEvent;
import dev.aigis.core.sse.SseException;
import dev.aigis.core.usage.TokenUsage;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One Anthropic event stream as OpenAI chunks. Holds the SSE decoder's partial event, the message
 * id and model from {@code message_start}, which content blocks are tool calls (and their OpenAI
 * tool-call index), and usage so far. Not thread-safe; one per stream.
 */
final class ChatStreamTranslation {

  /** One event's limit; a tool call's arguments arrive in many small deltas, so 1 MiB is ample. */
  static final int MAX_EVENT_BYTES = 1 << 20;

  private final InstantSource clock;
  private final List<SseEvent> decoded = new ArrayList<>();
  private final SseDecoder decoder = new SseDecoder(decoded::add, MAX_EVENT_BYTES);
  /** Anthropic content block index to OpenAI tool-call index; other blocks are absent. */
  private final Map<Integer, Integer> toolCalls = new HashMap<>();
  /** Tool blocks whose arguments have streamed some text; the others get "{}" when they stop. */
  private final Set<Integer> toolsWithArguments = new HashSet<>();
  private String id;
  private String model;
  private long created;
  private Usage started;
  private TokenUsage usage;
  private boolean stopped;

  ChatStreamTranslation(InstantSource clock) {
    this.clock = clock;
  }

  TokenUsage usage() {
    return usage;
  }

  void bytes(byte[] bytes, Consumer<ObjectNode> chunks) throws TranslationException {
    try {
      decoder.feed(bytes);
    } catch (SseException e) {
      throw AnthropicJson.invalid(e.getMessage());
    }
    try {
      for (SseEvent event : decoded) {
        if (event.data() != null && !stopped) {
          event(AnthropicJson.read(event.data(), StreamEvent.class, "a stream event"), chunks);
        }
      }
    } finally {
      decoded.clear();
    }
  }

  void end() throws TranslationException {
    if (!stopped) {
      throw AnthropicJson.invalid("the stream ended before message_stop");
    }
  }

  private void event(StreamEvent event, Consumer<ObjectNode> chunks) throws TranslationException {
    String type = String.valueOf(event.type());
    if (id == null && !type.equals("message_start") && !type.equals("ping") && !type.equals("error")) {
      throw AnthropicJson.invalid("stream event " + type + " before message_start");
    }
    switch (type) {
      case "message_start" -> {
        if (event.message() == null) {
          throw AnthropicJson.invalid("message_start without a message");
        }
        id = event.message().id();
        model = event.message().model();
        created = clock.instant().getEpochSecond();
        started = event.message().usage();
        usage = AnthropicJson.tokenUsage(started);
        ObjectNode delta = Json.MAPPER.createObjectNode().put("role", "assistant").put("content", "");
        chunks.accept(chunk(delta, null));
      }
      case "content_block_start" -> blockStart(event.index(), event.contentBlock(), chunks);
      case "content_block_delta" -> blockDelta(event.index(), event.delta(), chunks);
      case "message_delta" -> {
        usage(event.usage());
        String finish = event.delta() == null ? null
            : AnthropicJson.finishReason(event.delta().stopReason());
        if (finish != null) {
          chunks.accept(chunk(Json.MAPPER.createObjectNode(), finish));
        }
      }
      case "message_stop" -> {
        stopped = true;
        ObjectNode last = base();
        last.putArray("choices");
        last.set("usage", AnthropicJson.usageNode(usage == null ? TokenUsage.NONE : usage));
        chunks.accept(last);
      }
      case "error" -> {
        ErrorDetail error = event.error();
        String errorType = error == null || error.type() == null ? "api_error" : error.type();
        String message = error == null || error.message() == null
            ? "The upstream stream failed" : error.message();
        throw new TranslationException(new GatewayError.ProviderError(
            AnthropicJson.streamErrorStatus(errorType), errorType, message, AnthropicJson.PROVIDER));
      }
      case "content_block_stop" -> blockStop(event.index(), chunks);
      default -> { } // ping, and event types added later
    }
  }

  private void blockStart(Integer index, ContentBlock block, Consumer<ObjectNode> chunks)
      throws TranslationException {
    if (index == null || block == null) {
      throw AnthropicJson.invalid("content_block_start without an index or a content block");
    }
    switch (String.valueOf(block.type())) {
      case "text" -> {
        if (block.text() != null && !block.text().isEmpty()) {
          chunks.accept(chunk(Json.MAPPER.createObjectNode().put("content", block.text()), null));
        }
      }
      case "tool_use" -> {
        int toolIndex = toolCalls.size();
        toolCalls.put(index, toolIndex);
        ObjectNode call = toolCall(toolIndex).put("id", block.id()).put("type", "function");
        call.putObject("function").put("name", block.name()).put("arguments", "");
        chunks.accept(chunk(toolDelta(call), null));
      }
      case "thinking" -> {
        if (block.thinking() != null && !block.thinking().isEmpty()) {
          chunks.accept(chunk(Json.MAPPER.createObjectNode().put("reasoning_content", block.thinking()), null));
        }
      }
      case "redacted_thinking" -> chunks.accept(chunk(thinkingBlock(
          Json.MAPPER.createObjectNode().put("type", "redacted_thinking").put("data", block.data())), null));
      default -> { } // server tool blocks: no OpenAI counterpart
    }
  }

  /** A delta carrying one entry of the pivot's {@code thinking_blocks}. */
  private static ObjectNode thinkingBlock(ObjectNode block) {
    ObjectNode delta = Json.MAPPER.createObjectNode();
    delta.putArray("thinking_blocks").add(block);
    return delta;
  }

  private void blockDelta(Integer index, Delta delta, Consumer<ObjectNode> chunks)
      throws TranslationException {
    if (index == null || delta == null) {
      throw AnthropicJson.invalid("content_block_delta without an index or a delta");
    }
    switch (String.valueOf(delta.type())) {
      case "text_delta" -> {
        if (delta.text() != null && !delta.text().isEmpty()) {
          chunks.accept(chunk(Json.MAPPER.createObjectNode().put("content", delta.text()), null));
        }
      }
      case "input_json_delta" -> {
        Integer toolIndex = toolCalls.get(index);
        String partial = delta.partialJson();
        if (toolIndex != null && partial != null && !partial.isEmpty()) {
          toolsWithArguments.add(index);
          ObjectNode call = toolCall(toolIndex);
          call.putObject("function").put("arguments", partial);
          chunks.accept(chunk(toolDelta(call), null));
        }
      }
      case "thinking_delta" -> {
        if (delta.thinking() != null && !delta.thinking().isEmpty()) {
          chunks.accept(chunk(Json.MAPPER.createObjectNode().put("reasoning_content", delta.thinking()), null));
        }
      }
      // The signature closes the thinking block: the pivot's delta form is {type: thinking, signature}.
      case "signature_delta" -> chunks.accept(chunk(thinkingBlock(
          Json.MAPPER.createObjectNode().put("type", "thinking").put("signature", delta.signature())), null));
      default -> { } // citations_delta
    }
  }

  /**
   * A tool call whose input streamed nothing (a tool without parameters) would leave the client
   * with arguments {@code ""}, which OpenAI SDKs fail to parse as JSON: it gets {@code "{}"}.
   */
  private void blockStop(Integer index, Consumer<ObjectNode> chunks) {
    Integer toolIndex = index == null ? null : toolCalls.get(index);
    if (toolIndex != null && toolsWithArguments.add(index)) {
      ObjectNode call = toolCall(toolIndex);
      call.putObject("function").put("arguments", "{}");
      chunks.accept(chunk(toolDelta(call), null));
    }
  }

  /** message_delta usage is cumulative; input counts there, when present, replace the start's. */
  private void usage(Usage delta) {
    if (delta == null) {
      return;
    }
    Usage base = started == null ? new Usage(null, null, null, null) : started;
    started = new Usage(
        delta.inputTokens() != null ? delta.inputTokens() : base.inputTokens(),
        delta.outputTokens() != null ? delta.outputTokens() : base.outputTokens(),
        delta.cacheCreationInputTokens() != null
            ? delta.cacheCreationInputTokens() : base.cacheCreationInputTokens(),
        delta.cacheReadInputTokens() != null
            ? delta.cacheReadInputTokens() : base.cacheReadInputTokens());
    usage = AnthropicJson.tokenUsage(started);
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
