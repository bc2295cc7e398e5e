package dev.aigis.core.provider.gemini.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.sse.SseEncoder;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Pivot chunks as a Gemini {@code streamGenerateContent?alt=sse} stream: one {@code data:} event,
 * a whole {@code GenerateContentResponse}, per text or reasoning delta ({@code thought: true}
 * parts); the role-only chunk makes none. Gemini sends each function call whole, while the pivot
 * streams arguments in pieces, so calls are collected and sent in the last event, with the
 * {@code finishReason} and the final {@code usageMetadata} (the pivot's usage chunk comes after
 * its finish chunk). Holds the calls and the finish until the end. Not thread-safe.
 */
final class PivotToGeminiStream {

  /** One tool call being assembled from deltas. */
  private static final class Call {
    String id;
    String name = "";
    final StringBuilder arguments = new StringBuilder();
  }

  private final List<Call> calls = new ArrayList<>();
  private JsonNode identity;
  private String finish;
  private JsonNode usage;

  void chunk(ObjectNode chunk, Consumer<byte[]> events) {
    if (identity == null) {
      identity = chunk;
    }
    JsonNode chunkUsage = chunk.get("usage");
    if (chunkUsage != null && chunkUsage.isObject()) {
      usage = chunkUsage;
    }
    JsonNode choice = chunk.path("choices").path(0);
    if (choice.isMissingNode()) {
      return;
    }
    JsonNode delta = choice.path("delta");
    String reasoning = delta.path("reasoning_content").asText("");
    if (!reasoning.isEmpty()) {
      events.accept(event(part(reasoning).put("thought", true)));
    }
    String text = delta.path("content").asText("");
    if (!text.isEmpty()) {
      events.accept(event(part(text)));
    }
    for (JsonNode toolCall : delta.path("tool_calls")) {
      int index = toolCall.path("index").asInt(calls.size());
      while (calls.size() <= index) {
        calls.add(new Call());
      }
      Call call = calls.get(index);
      if (toolCall.path("id").isTextual()) {
        call.id = toolCall.get("id").asText();
      }
      JsonNode function = toolCall.path("function");
      if (function.path("name").isTextual()) {
        call.name += function.get("name").asText();
      }
      if (function.path("arguments").isTextual()) {
        call.arguments.append(function.get("arguments").asText());
      }
    }
    if (choice.path("finish_reason").isTextual()) {
      finish = choice.get("finish_reason").asText();
    }
  }

  /** The last event: the collected function calls, the finish reason and the usage. */
  void end(Consumer<byte[]> events) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ObjectNode candidate = out.putArray("candidates").addObject();
    if (!calls.isEmpty()) {
      ObjectNode content = candidate.putObject("content");
      ArrayNode parts = content.putArray("parts");
      for (Call call : calls) {
        parts.add(PivotToGemini.functionCall(call.id, call.name, call.arguments.toString()));
      }
      content.put("role", "model");
    }
    candidate.put("finishReason", PivotToGemini.finishReason(finish));
    candidate.put("index", 0);
    if (usage != null) {
      out.set("usageMetadata", PivotToGemini.usage(usage));
    }
    if (identity != null) {
      PivotToGemini.identity(out, identity);
    }
    events.accept(encode(out));
  }

  private static ObjectNode part(String text) {
    return Json.MAPPER.createObjectNode().put("text", text);
  }

  private byte[] event(ObjectNode part) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ObjectNode candidate = out.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    content.putArray("parts").add(part);
    content.put("role", "model");
    candidate.put("index", 0);
    PivotToGemini.identity(out, identity);
    return encode(out);
  }

  private static byte[] encode(ObjectNode response) {
    try {
      return SseEncoder.data(Json.MAPPER.writeValueAsString(response));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
