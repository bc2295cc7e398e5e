package dev.aigis.core.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.usage.OpenAiUsage;
import dev.aigis.core.usage.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Renders a structured answer (an OpenAI {@code chat.completion}) in the client's format: the
 * codec's plain answer, or, for a client that asked for a stream, a well-formed stream of chunks
 * (role and content, tool calls, finish reason, usage) ended the codec's way.
 */
public final class StructuredAnswers {

  /** The rendered answer. */
  public record Rendered(String contentType, byte[] body, boolean stream, TokenUsage usage) {}

  private StructuredAnswers() {}

  /** @param codec the client's codec, or null for endpoints without a chat form (the completion goes as it is) */
  public static Rendered render(InboundCodec codec, ObjectNode completion, boolean stream, boolean clientAskedForUsage) {
    TokenUsage usage = OpenAiUsage.from(completion.path("usage"));
    if (codec == null) {
      return new Rendered("application/json", completion.toString().getBytes(StandardCharsets.UTF_8), false, usage);
    }
    if (!stream) {
      return new Rendered("application/json", codec.fromPivot(completion), false, usage);
    }
    var out = new ByteArrayOutputStream();
    for (ObjectNode chunk : chunks(completion)) {
      codec.pivotChunk(chunk, out::writeBytes);
    }
    boolean usageChunk = codec.api() != InboundApi.OpenAI || clientAskedForUsage;
    if (usageChunk && completion.has("usage")) {
      ObjectNode last = base(completion);
      last.putArray("choices");
      last.set("usage", completion.get("usage").deepCopy());
      codec.pivotChunk(last, out::writeBytes);
    }
    codec.pivotEnd(out::writeBytes);
    return new Rendered("text/event-stream", out.toByteArray(), true, usage);
  }

  /** The completion as stream chunks: per choice, its message as one delta, then its finish reason. */
  static java.util.List<ObjectNode> chunks(ObjectNode completion) {
    var chunks = new java.util.ArrayList<ObjectNode>();
    for (JsonNode choice : completion.path("choices")) {
      ObjectNode delta = Json.MAPPER.createObjectNode();
      JsonNode message = choice.path("message");
      delta.put("role", message.path("role").asText("assistant"));
      if (message.hasNonNull("content")) {
        delta.set("content", message.get("content").deepCopy());
      }
      if (message.path("tool_calls").isArray()) {
        ArrayNode calls = delta.putArray("tool_calls");
        int index = 0;
        for (JsonNode call : message.path("tool_calls")) {
          ObjectNode copy = ((ObjectNode) call).deepCopy();
          copy.put("index", index++);
          calls.add(copy);
        }
      }
      ObjectNode first = base(completion);
      first.putArray("choices").addObject().put("index", choice.path("index").asInt(0)).set("delta", delta);
      chunks.add(first);
      ObjectNode end = base(completion);
      ObjectNode endChoice = end.putArray("choices").addObject().put("index", choice.path("index").asInt(0));
      endChoice.putObject("delta");
      endChoice.put("finish_reason", choice.path("finish_reason").asText("stop"));
      chunks.add(end);
    }
    return chunks;
  }

  private static ObjectNode base(ObjectNode completion) {
    ObjectNode chunk = Json.MAPPER.createObjectNode();
    chunk.put("id", completion.path("id").asText("chatcmpl-aigis"));
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", completion.path("created").asLong(0));
    chunk.put("model", completion.path("model").asText(""));
    return chunk;
  }
}
