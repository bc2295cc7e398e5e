package dev.aigis.core.provider.anthropic.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.sse.SseEncoder;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * OpenAI {@code chat.completion.chunk}s as Anthropic stream events: {@code message_start}, then per
 * content block {@code content_block_start}, {@code content_block_delta}s and
 * {@code content_block_stop}, then {@code message_delta} (stop reason, usage) and
 * {@code message_stop}. No {@code ping} is sent; the gateway's transport keeps idle streams alive.
 *
 * <h2>Interleaving</h2>
 * Anthropic blocks are strictly sequential (one open at a time) while OpenAI may interleave
 * fragments of parallel tool calls by {@code index}. Every source of content (a run of text, one
 * tool call) gets one block, numbered in order of first appearance. Only the earliest unclosed
 * source streams live; later ones buffer until it closes, then emit their start and what they
 * buffered as one delta. A text block closes as soon as any later source appears (text arriving
 * after that opens a new text block, which loses nothing). A tool block closes when its
 * arguments form a complete JSON value and a later source exists, because nothing valid can
 * follow a complete value; so sequential calls, the way OpenAI and the other backends stream them,
 * all stream live, and only truly interleaved calls are delayed, never reordered or mixed.
 * Everything still open closes at {@code finish_reason} or at the end. Reasoning
 * ({@code reasoning_content} deltas) is a {@code thinking} block, completed by the signature the
 * pivot's {@code thinking_blocks} delta carries ({@code signature_delta}); a redacted block is sent
 * whole; reasoning without a signature (from a provider that has none) is closed by what follows
 * it, its signature empty.
 *
 * <p>Only choice 0 is translated ({@code n > 1} has no Anthropic equivalent). Usage comes from
 * whichever chunk carries it (the usage-only chunk {@code include_usage} asks for) and is reported
 * in {@code message_delta}; {@code message_start} carries it only when the first chunk already has
 * it. Not thread-safe: one instance per stream.
 */
final class PivotToAnthropicStream {

  private final ArrayDeque<Source> unclosed = new ArrayDeque<>();
  private final Map<Integer, Source> toolsByIndex = new HashMap<>();
  private boolean started;
  private boolean ended;
  private boolean sawToolUse;
  private String finishReason;
  private JsonNode usage;
  private int nextBlockIndex;

  void chunk(ObjectNode chunk, Consumer<byte[]> events) {
    if (ended) {
      return;
    }
    JsonNode chunkUsage = chunk.get("usage");
    if (chunkUsage != null && chunkUsage.isObject()) {
      usage = chunkUsage;
    }
    if (!started) {
      start(chunk, events);
    }
    for (JsonNode choice : chunk.path("choices")) {
      if (choice.path("index").asInt(0) != 0) {
        continue;
      }
      JsonNode delta = choice.path("delta");
      appendThinking(delta.path("reasoning_content").asText(""));
      for (JsonNode block : delta.path("thinking_blocks")) {
        appendThinkingBlock(block);
      }
      appendText(delta.path("content").asText(""));
      appendText(delta.path("refusal").asText(""));
      int position = 0;
      for (JsonNode call : delta.path("tool_calls")) {
        appendTool(call, position++);
      }
      String reason = choice.path("finish_reason").asText(null);
      if (reason != null) {
        finishReason = reason;
      }
      if (finishReason != null) {
        flushAll(events);
      } else {
        advance(events);
      }
    }
  }

  void end(Consumer<byte[]> events) {
    if (ended) {
      return;
    }
    if (!started) {
      start(Json.MAPPER.createObjectNode(), events);
    }
    flushAll(events);
    ended = true;
    ObjectNode messageDelta = event("message_delta");
    ObjectNode delta = messageDelta.putObject("delta");
    delta.put("stop_reason", PivotToAnthropicMessage.stopReason(finishReason, sawToolUse));
    delta.putNull("stop_sequence");
    ObjectNode out = messageDelta.putObject("usage");
    if (usage != null) {
      PivotToAnthropicMessage.usage(usage, out);
    } else {
      out.put("output_tokens", 0);
    }
    emit(events, messageDelta);
    emit(events, event("message_stop"));
  }

  private void start(ObjectNode first, Consumer<byte[]> events) {
    started = true;
    ObjectNode messageStart = event("message_start");
    ObjectNode message = messageStart.putObject("message");
    message.put("id", PivotToAnthropicMessage.messageId(first.path("id").asText("")));
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", first.path("model").asText(""));
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    ObjectNode startUsage = message.putObject("usage");
    PivotToAnthropicMessage.usage(usage, startUsage);
    startUsage.put("output_tokens", 0); // output so far; the total comes in message_delta
    emit(events, messageStart);
  }

  private void appendText(String text) {
    if (text.isEmpty()) {
      return;
    }
    Source last = unclosed.peekLast();
    if (last == null || last.toolIndex != Source.TEXT) {
      last = new Source(Source.TEXT);
      unclosed.addLast(last);
    }
    last.pending.append(text);
  }

  /** Reasoning text extends the last thinking block until its signature closes it. */
  private void appendThinking(String text) {
    if (text.isEmpty()) {
      return;
    }
    openThinking().pending.append(text);
  }

  private Source openThinking() {
    Source last = unclosed.peekLast();
    if (last == null || last.toolIndex != Source.THINKING || last.signature != null) {
      last = new Source(Source.THINKING);
      unclosed.addLast(last);
    }
    return last;
  }

  /**
   * A {@code thinking_blocks} entry of a delta: {@code {type: thinking, signature}} signs (and so
   * completes) the thinking block being streamed, a whole {@code {type: thinking, thinking,
   * signature}} is one block, {@code redacted_thinking} is a block of its own.
   */
  private void appendThinkingBlock(JsonNode block) {
    if ("redacted_thinking".equals(block.path("type").asText())) {
      Source redacted = new Source(Source.REDACTED);
      redacted.data = block.path("data").asText("");
      unclosed.addLast(redacted);
      return;
    }
    Source thinking = openThinking();
    thinking.pending.append(block.path("thinking").asText(""));
    if (block.path("signature").isTextual()) {
      thinking.signature = block.get("signature").asText();
    }
  }

  private void appendTool(JsonNode call, int position) {
    int index = call.path("index").asInt(position);
    Source tool = toolsByIndex.get(index);
    if (tool == null) {
      tool = new Source(index);
      toolsByIndex.put(index, tool);
      unclosed.addLast(tool);
      sawToolUse = true;
    }
    if (call.path("id").isTextual() && tool.id == null) {
      tool.id = call.get("id").asText();
    }
    JsonNode function = call.path("function");
    if (function.path("name").isTextual() && tool.name == null) {
      tool.name = function.get("name").asText();
    }
    String arguments = function.path("arguments").asText("");
    if (!tool.closed) { // after a complete JSON value only whitespace can validly follow
      tool.pending.append(arguments);
      tool.json.feed(arguments);
    }
  }

  /** Opens the head, sends what it holds, and closes it when a successor makes that safe. */
  private void advance(Consumer<byte[]> events) {
    Source head;
    while ((head = unclosed.peekFirst()) != null) {
      if (head.blockIndex < 0) {
        if (head.toolIndex >= 0 && head.name == null) {
          return; // a tool block cannot start before its name is known
        }
        open(head, events);
      }
      sendPending(head, events);
      boolean complete = head.complete();
      if (unclosed.size() > 1 && complete) {
        close(events);
      } else {
        return;
      }
    }
  }

  private void flushAll(Consumer<byte[]> events) {
    Source head;
    while ((head = unclosed.peekFirst()) != null) {
      if (head.blockIndex < 0) {
        open(head, events);
      }
      sendPending(head, events);
      close(events);
    }
  }

  private void open(Source source, Consumer<byte[]> events) {
    source.blockIndex = nextBlockIndex++;
    ObjectNode start = event("content_block_start");
    start.put("index", source.blockIndex);
    ObjectNode block = start.putObject("content_block");
    if (source.toolIndex == Source.TEXT) {
      block.put("type", "text").put("text", "");
    } else if (source.toolIndex == Source.THINKING) {
      block.put("type", "thinking").put("thinking", "").put("signature", "");
    } else if (source.toolIndex == Source.REDACTED) {
      block.put("type", "redacted_thinking").put("data", source.data);
    } else {
      block.put("type", "tool_use");
      block.put("id", source.id == null ? "toolu_" + source.blockIndex : source.id);
      block.put("name", source.name == null ? "" : source.name);
      block.putObject("input");
    }
    emit(events, start);
  }

  private void sendPending(Source source, Consumer<byte[]> events) {
    if (source.toolIndex == Source.THINKING && source.signature != null && !source.signatureSent) {
      sendThinking(source, events);
      source.signatureSent = true;
      ObjectNode signatureEvent = event("content_block_delta");
      signatureEvent.put("index", source.blockIndex);
      signatureEvent.putObject("delta").put("type", "signature_delta").put("signature", source.signature);
      emit(events, signatureEvent);
      return;
    }
    if (source.toolIndex == Source.THINKING) {
      sendThinking(source, events);
      return;
    }
    if (source.pending.isEmpty()) {
      return;
    }
    ObjectNode deltaEvent = event("content_block_delta");
    deltaEvent.put("index", source.blockIndex);
    ObjectNode delta = deltaEvent.putObject("delta");
    if (source.toolIndex == Source.TEXT) {
      delta.put("type", "text_delta").put("text", source.pending.toString());
    } else {
      delta.put("type", "input_json_delta").put("partial_json", source.pending.toString());
    }
    source.pending.setLength(0);
    emit(events, deltaEvent);
  }

  private void sendThinking(Source source, Consumer<byte[]> events) {
    if (source.pending.isEmpty()) {
      return;
    }
    ObjectNode deltaEvent = event("content_block_delta");
    deltaEvent.put("index", source.blockIndex);
    deltaEvent.putObject("delta").put("type", "thinking_delta").put("thinking", source.pending.toString());
    source.pending.setLength(0);
    emit(events, deltaEvent);
  }

  private void close(Consumer<byte[]> events) {
    Source head = unclosed.removeFirst();
    head.closed = true;
    emit(events, event("content_block_stop").put("index", head.blockIndex));
  }

  private static ObjectNode event(String type) {
    return Json.MAPPER.createObjectNode().put("type", type);
  }

  private static void emit(Consumer<byte[]> events, ObjectNode event) {
    try {
      events.accept(SseEncoder.event(event.get("type").asText(), Json.MAPPER.writeValueAsString(event)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree always serialises
    }
  }

  /**
   * A run of text, a thinking block, a redacted thinking block (negative {@code toolIndex}) or one
   * tool call (its index); becomes one Anthropic block.
   */
  private static final class Source {
    static final int TEXT = -1;
    static final int THINKING = -2;
    static final int REDACTED = -3;

    final int toolIndex;
    final StringBuilder pending = new StringBuilder();
    final JsonEnd json = new JsonEnd();
    String id;
    String name;
    /** A thinking block's signature once it arrived; the block is complete then. */
    String signature;
    boolean signatureSent;
    /** A redacted thinking block's data. */
    String data;
    int blockIndex = -1;
    boolean closed;

    Source(int toolIndex) {
      this.toolIndex = toolIndex;
    }

    /**
     * Whether the block may close once a later one exists: text and reasoning always (a later
     * source means they ended; a signature arrives before what follows its block), a tool call
     * when its arguments are complete JSON.
     */
    boolean complete() {
      return toolIndex < 0 || json.complete();
    }
  }

  /**
   * Tells, fed text piece by piece, when it has seen one complete JSON object or array. Strings
   * and escapes are tracked so braces inside them do not count.
   */
  static final class JsonEnd {
    private int depth;
    private boolean inString;
    private boolean escaped;
    private boolean opened;
    private boolean complete;

    void feed(CharSequence text) {
      for (int i = 0; i < text.length() && !complete; i++) {
        char c = text.charAt(i);
        if (inString) {
          if (escaped) {
            escaped = false;
          } else if (c == '\\') {
            escaped = true;
          } else if (c == '"') {
            inString = false;
          }
          continue;
        }
        switch (c) {
          case '"' -> inString = true;
          case '{', '[' -> {
            depth++;
            opened = true;
          }
          case '}', ']' -> {
            depth--;
            complete = opened && depth == 0;
          }
          default -> { }
        }
      }
    }

    boolean complete() {
      return complete;
    }
  }
}
