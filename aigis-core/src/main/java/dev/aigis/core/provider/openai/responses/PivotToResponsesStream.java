package dev.aigis.core.provider.openai.responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.sse.SseEncoder;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * OpenAI {@code chat.completion.chunk}s as Responses stream events, each with its {@code event:}
 * line and an increasing {@code sequence_number}: {@code response.created} and
 * {@code response.in_progress} at the first chunk; per output item {@code response.output_item.added},
 * its deltas and {@code response.output_item.done}; finally {@code response.completed} (or
 * {@code response.incomplete}) with the whole response and usage, at the stream's end because the
 * pivot's usage chunk follows its finish reason.
 *
 * <p>Items: reasoning text ({@code reasoning_content}) is a {@code reasoning} item streamed with
 * {@code response.reasoning_text.delta}/{@code .done} (the full text, not a summary); text is a
 * {@code message} item with one {@code output_text} part ({@code response.content_part.added},
 * {@code response.output_text.delta}..., {@code .done}, {@code response.content_part.done});
 * a refusal a {@code refusal} part of the message ({@code response.refusal.delta}/{@code .done});
 * each tool call a {@code function_call} item ({@code response.function_call_arguments.delta}/
 * {@code .done}). A reasoning or message item closes when another item starts; tool calls stay
 * open until the finish reason, so interleaved fragments of parallel calls each reach their own
 * item. Only choice 0 is translated. Not thread-safe: one per stream.
 */
final class PivotToResponsesStream {

  /** What a text delta is: reasoning, or one of a message's two part types. */
  private enum Kind { REASONING, TEXT, REFUSAL }

  /**
   * The item that closes as soon as another starts: reasoning text, or the message, whose parts
   * (text, refusal) follow one another, a new part opening when the delta's kind changes.
   */
  private static final class TextItem {
    final boolean reasoning;
    final int outputIndex;
    final String id;
    final List<ObjectNode> parts = new ArrayList<>();
    /** The open part's kind (null before the first), and its text so far. */
    Kind part;
    final StringBuilder text = new StringBuilder();

    TextItem(boolean reasoning, int outputIndex, String id) {
      this.reasoning = reasoning;
      this.outputIndex = outputIndex;
      this.id = id;
    }
  }

  private record Call(int outputIndex, String id, String callId, String name, StringBuilder arguments) {}

  private final ObjectNode request;
  private final List<ObjectNode> output = new ArrayList<>();
  private final Map<Integer, Call> calls = new LinkedHashMap<>();
  private ObjectNode response;
  private String pivotId;
  private TextItem open;
  private long sequence;
  private boolean ended;
  private String finishReason;
  private JsonNode usage;

  /** @param request the client's request, echoed in the response objects; null for defaults */
  PivotToResponsesStream(ObjectNode request) {
    this.request = request;
  }

  void chunk(ObjectNode chunk, Consumer<byte[]> events) {
    if (ended) {
      return;
    }
    JsonNode chunkUsage = chunk.get("usage");
    if (chunkUsage != null && chunkUsage.isObject()) {
      usage = chunkUsage;
    }
    if (response == null) {
      start(chunk, events);
    }
    for (JsonNode choice : chunk.path("choices")) {
      if (choice.path("index").asInt(0) != 0) {
        continue;
      }
      JsonNode delta = choice.path("delta");
      text(Kind.REASONING, delta.path("reasoning_content").asText(""), events);
      text(Kind.TEXT, delta.path("content").asText(""), events);
      text(Kind.REFUSAL, delta.path("refusal").asText(""), events);
      int position = 0;
      for (JsonNode call : delta.path("tool_calls")) {
        toolCall(call, position++, events);
      }
      String reason = choice.path("finish_reason").asText(null);
      if (reason != null) {
        finishReason = reason;
        closeAll(events);
      }
    }
  }

  void end(Consumer<byte[]> events) {
    if (ended) {
      return;
    }
    ended = true;
    if (response == null) {
      start(Json.MAPPER.createObjectNode(), events);
    }
    closeAll(events);
    ObjectNode done = response.deepCopy();
    ArrayNode items = done.putArray("output");
    output.forEach(items::add);
    ResponseObjects.finish(done, finishReason);
    ObjectNode finalUsage = ResponseObjects.usage(usage);
    if (finalUsage != null) {
      done.set("usage", finalUsage);
    }
    String type = "incomplete".equals(done.path("status").asText()) ? "response.incomplete" : "response.completed";
    ObjectNode event = event(type);
    event.set("response", done);
    emit(event, events);
  }

  private void start(ObjectNode chunk, Consumer<byte[]> events) {
    pivotId = chunk.path("id").asText("aigis");
    response = ResponseObjects.response(pivotId, chunk.path("created").asLong(0), chunk.path("model").asText(""),
        request, "in_progress");
    for (String type : new String[] {"response.created", "response.in_progress"}) {
      ObjectNode event = event(type);
      event.set("response", response.deepCopy());
      emit(event, events);
    }
  }

  private void text(Kind kind, String delta, Consumer<byte[]> events) {
    if (delta.isEmpty()) {
      return;
    }
    boolean reasoning = kind == Kind.REASONING;
    if (open == null || open.reasoning != reasoning) {
      closeText(events);
      int index = output.size();
      output.add(null); // the slot the item fills when it is done
      open = new TextItem(reasoning, index, ResponseObjects.itemId(reasoning ? "rs" : "msg", pivotId, index));
      ObjectNode added = event("response.output_item.added").put("output_index", index);
      added.set("item", reasoning ? ResponseObjects.reasoningItem(open.id, null, "in_progress")
          : ResponseObjects.messageItem(open.id, "in_progress"));
      emit(added, events);
    }
    if (!reasoning && open.part != kind) {
      closePart(events);
      open.part = kind;
      ObjectNode part = event("response.content_part.added").put("item_id", open.id)
          .put("output_index", open.outputIndex).put("content_index", open.parts.size());
      part.set("part", kind == Kind.TEXT ? ResponseObjects.outputText("") : ResponseObjects.refusal(""));
      emit(part, events);
    }
    open.text.append(delta);
    ObjectNode event = event(switch (kind) {
      case REASONING -> "response.reasoning_text.delta";
      case TEXT -> "response.output_text.delta";
      case REFUSAL -> "response.refusal.delta";
    }).put("item_id", open.id).put("output_index", open.outputIndex)
        .put("content_index", reasoning ? 0 : open.parts.size()).put("delta", delta);
    if (kind == Kind.TEXT) {
      event.putArray("logprobs");
    }
    emit(event, events);
  }

  private void toolCall(JsonNode fragment, int position, Consumer<byte[]> events) {
    int key = fragment.path("index").asInt(position);
    Call call = calls.get(key);
    if (call == null) {
      closeText(events);
      int index = output.size();
      output.add(null);
      call = new Call(index, ResponseObjects.itemId("fc", pivotId, index), fragment.path("id").asText(""),
          fragment.path("function").path("name").asText(""), new StringBuilder());
      calls.put(key, call);
      ObjectNode added = event("response.output_item.added").put("output_index", index);
      added.set("item", ResponseObjects.functionCall(call.id(), call.callId(), call.name(), "", "in_progress"));
      emit(added, events);
    }
    String arguments = fragment.path("function").path("arguments").asText("");
    if (!arguments.isEmpty()) {
      call.arguments().append(arguments);
      emit(event("response.function_call_arguments.delta").put("item_id", call.id())
          .put("output_index", call.outputIndex()).put("delta", arguments), events);
    }
  }

  private void closeAll(Consumer<byte[]> events) {
    closeText(events);
    for (Call call : calls.values()) {
      String arguments = call.arguments().toString();
      emit(event("response.function_call_arguments.done").put("item_id", call.id())
          .put("output_index", call.outputIndex()).put("name", call.name()).put("arguments", arguments), events);
      ObjectNode item = ResponseObjects.functionCall(call.id(), call.callId(), call.name(), arguments, "completed");
      itemDone(call.outputIndex(), item, events);
    }
    calls.clear();
  }

  private void closeText(Consumer<byte[]> events) {
    if (open == null) {
      return;
    }
    TextItem item = open;
    if (item.reasoning) {
      open = null;
      String text = item.text.toString();
      emit(event("response.reasoning_text.done").put("item_id", item.id).put("output_index", item.outputIndex)
          .put("content_index", 0).put("text", text), events);
      itemDone(item.outputIndex, ResponseObjects.reasoningItem(item.id, text, "completed"), events);
      return;
    }
    closePart(events);
    open = null;
    ObjectNode message = ResponseObjects.messageItem(item.id, ResponseObjects.itemStatus(finishReason));
    item.parts.forEach(((ArrayNode) message.get("content"))::add);
    itemDone(item.outputIndex, message, events);
  }

  /** Ends the open message part: its {@code .done} event with the whole text, then {@code content_part.done}. */
  private void closePart(Consumer<byte[]> events) {
    TextItem item = open;
    if (item.part == null) {
      return;
    }
    String text = item.text.toString();
    int contentIndex = item.parts.size();
    ObjectNode part;
    if (item.part == Kind.TEXT) {
      ObjectNode textDone = event("response.output_text.done").put("item_id", item.id)
          .put("output_index", item.outputIndex).put("content_index", contentIndex).put("text", text);
      textDone.putArray("logprobs");
      emit(textDone, events);
      part = ResponseObjects.outputText(text);
    } else {
      emit(event("response.refusal.done").put("item_id", item.id).put("output_index", item.outputIndex)
          .put("content_index", contentIndex).put("refusal", text), events);
      part = ResponseObjects.refusal(text);
    }
    ObjectNode partDone = event("response.content_part.done").put("item_id", item.id)
        .put("output_index", item.outputIndex).put("content_index", contentIndex);
    partDone.set("part", part);
    emit(partDone, events);
    item.parts.add(part.deepCopy());
    item.part = null;
    item.text.setLength(0);
  }

  private void itemDone(int outputIndex, ObjectNode item, Consumer<byte[]> events) {
    output.set(outputIndex, item);
    ObjectNode done = event("response.output_item.done").put("output_index", outputIndex);
    done.set("item", item.deepCopy());
    emit(done, events);
  }

  private static ObjectNode event(String type) {
    return Json.MAPPER.createObjectNode().put("type", type);
  }

  private void emit(ObjectNode event, Consumer<byte[]> events) {
    event.put("sequence_number", sequence++);
    try {
      events.accept(SseEncoder.event(event.path("type").asText(), Json.MAPPER.writeValueAsString(event)));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
