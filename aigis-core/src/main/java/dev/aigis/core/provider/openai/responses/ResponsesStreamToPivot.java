package dev.aigis.core.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.openai.OpenAiChatWire;
import dev.aigis.core.sse.SseDecoder;
import dev.aigis.core.sse.SseEvent;
import dev.aigis.core.sse.SseException;
import dev.aigis.core.usage.ResponsesUsage;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A Responses API event stream read from raw bytes as pivot chunks: {@code response.created} gives
 * the role chunk; {@code response.output_text.delta} content, {@code response.refusal.delta}
 * refusal, {@code response.reasoning_text.delta} and {@code response.reasoning_summary_text.delta}
 * {@code reasoning_content} (each summary part after the first opens with a blank line, as plain
 * answers join them); a {@code function_call} item's {@code response.output_item.added}
 * opens a tool call (numbered in order) and {@code response.function_call_arguments.delta} extends
 * it ({@code .done} gives the arguments whole when no delta did); {@code response.completed}/{@code response.incomplete} give the finish chunk and then the
 * usage chunk, and end the stream. {@code response.failed} and {@code error} events are thrown as
 * the provider's error; a stream that ends without a terminal event was cut. Other events (the
 * {@code .done} echoes, part boundaries, keep-alives) carry nothing new and are skipped.
 *
 * <p>Failures are sticky. Not thread-safe; one per stream.
 */
final class ResponsesStreamToPivot {

  /** A whole response (in {@code response.completed}) can be large; 8 MiB matches a plain answer's cap. */
  static final int MAX_EVENT_BYTES = 8 << 20;

  private final SseDecoder decoder = new SseDecoder(this::onEvent, MAX_EVENT_BYTES);
  private final Map<Integer, Integer> toolIndexByOutput = new HashMap<>();
  /** Output indexes of the tool calls whose arguments were sent (by deltas or whole). */
  private final Set<Integer> withArguments = new HashSet<>();
  private Consumer<ObjectNode> sink;
  private TranslationException failure;
  private boolean done;
  private String id = "";
  private String model = "";
  private long created;
  private TokenUsage usage;

  void feed(byte[] bytes, Consumer<ObjectNode> chunks) throws TranslationException {
    rethrow();
    if (done) {
      return;
    }
    sink = chunks;
    try {
      decoder.feed(bytes);
    } catch (SseException e) {
      failure = OpenAiChatWire.invalid(ResponseToPivot.PROVIDER, e.getMessage());
    } finally {
      sink = null;
    }
    rethrow();
  }

  void end() throws TranslationException {
    rethrow();
    if (!done) {
      failure = OpenAiChatWire.invalid(ResponseToPivot.PROVIDER, "stream ended before response.completed");
      throw failure;
    }
  }

  TokenUsage usage() {
    return usage;
  }

  private void rethrow() throws TranslationException {
    if (failure != null) {
      throw failure;
    }
  }

  private void onEvent(SseEvent event) {
    if (done || failure != null || event.data() == null) {
      return;
    }
    JsonNode data;
    try {
      data = Json.MAPPER.readTree(event.data());
    } catch (IOException e) {
      failure = OpenAiChatWire.invalid(ResponseToPivot.PROVIDER, "stream event is not valid JSON");
      return;
    }
    String type = data.path("type").asText(event.event() == null ? "" : event.event());
    switch (type) {
      case "response.created" -> {
        JsonNode response = data.path("response");
        id = response.path("id").asText("");
        model = response.path("model").asText("");
        created = response.path("created_at").asLong(0);
        delta().put("role", "assistant").put("content", "");
        emitLast();
      }
      case "response.output_text.delta" -> text("content", data);
      case "response.refusal.delta" -> text("refusal", data);
      case "response.reasoning_text.delta", "response.reasoning_summary_text.delta" -> text("reasoning_content", data);
      case "response.reasoning_summary_part.added" -> {
        if (data.path("summary_index").asInt(0) > 0) {
          delta().put("reasoning_content", "\n\n");
          emitLast();
        }
      }
      case "response.output_item.added" -> {
        JsonNode item = data.path("item");
        if ("function_call".equals(item.path("type").asText())) {
          int index = toolIndexByOutput.size();
          toolIndexByOutput.put(data.path("output_index").asInt(), index);
          ObjectNode call = delta().putArray("tool_calls").addObject().put("index", index)
              .put("id", item.path("call_id").asText("")).put("type", "function");
          String arguments = item.path("arguments").asText("");
          call.putObject("function").put("name", item.path("name").asText("")).put("arguments", arguments);
          if (!arguments.isEmpty()) {
            withArguments.add(data.path("output_index").asInt());
          }
          emitLast();
        }
      }
      case "response.function_call_arguments.delta" -> arguments(data.path("output_index").asInt(),
          data.path("delta").asText(""));
      // A server that sends no argument deltas has them only here: sent once, whole.
      case "response.function_call_arguments.done" -> {
        int output = data.path("output_index").asInt();
        if (!withArguments.contains(output)) {
          arguments(output, data.path("arguments").asText(""));
        }
      }
      case "response.completed", "response.incomplete" -> {
        JsonNode response = data.path("response");
        ObjectNode finish = chunk();
        ObjectNode choice = finish.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", ResponseToPivot.finishReason(response, !toolIndexByOutput.isEmpty()));
        sink.accept(finish);
        ObjectNode usageObject = ResponseToPivot.usage(response.get("usage"));
        if (usageObject != null) {
          usage = ResponsesUsage.from(response.get("usage"));
          ObjectNode usageChunk = chunk();
          usageChunk.putArray("choices");
          usageChunk.set("usage", usageObject);
          sink.accept(usageChunk);
        }
        done = true;
      }
      case "response.failed" -> failure = ResponseToPivot.failed(data.path("response"));
      // The event's own type is "error"; its code and message are the provider's. The stream began
      // with a 200, so the failure is the upstream's: 502, as for chat streams.
      case "error" -> failure = new TranslationException(OpenAiChatWire.providerError(502,
          ((ObjectNode) data).without("type"), ResponseToPivot.PROVIDER));
      default -> { }
    }
  }

  private void arguments(int outputIndex, String arguments) {
    Integer index = toolIndexByOutput.get(outputIndex);
    if (index != null && !arguments.isEmpty()) {
      withArguments.add(outputIndex);
      delta().putArray("tool_calls").addObject().put("index", index).putObject("function")
          .put("arguments", arguments);
      emitLast();
    }
  }

  /** The chunk being built by {@link #delta()}; emitted by {@link #emitLast()}. */
  private ObjectNode pending;

  private void text(String field, JsonNode data) {
    String delta = data.path("delta").asText("");
    if (!delta.isEmpty()) {
      delta().put(field, delta);
      emitLast();
    }
  }

  private ObjectNode delta() {
    pending = chunk();
    ObjectNode choice = pending.putArray("choices").addObject().put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    choice.putNull("finish_reason");
    return delta;
  }

  private void emitLast() {
    sink.accept(pending);
    pending = null;
  }

  private ObjectNode chunk() {
    return Json.MAPPER.createObjectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
        .put("model", model);
  }
}
