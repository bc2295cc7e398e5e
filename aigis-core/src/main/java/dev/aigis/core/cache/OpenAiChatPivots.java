package dev.aigis.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.json.Json;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ResponseChunk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The pivot of an answer chunk that came without one, when the client speaks OpenAI chat
 * completions: its answers already are the pivot form (a built-in backend such as the echo model
 * hands its answer over without decoding it). Other client formats get null: unreadable.
 */
final class OpenAiChatPivots {

  private OpenAiChatPivots() {}

  static ObjectNode read(ProcessedRequest request, ResponseChunk chunk) {
    if (request.context().endpoint() != ApiEndpoint.CHAT_COMPLETIONS || chunk.bytes().length == 0) {
      return null;
    }
    String text = new String(chunk.bytes(), StandardCharsets.UTF_8);
    if (chunk.sseEvent()) {
      StringBuilder data = new StringBuilder();
      for (String line : text.split("\r\n|\r|\n")) {
        if (line.startsWith("data:")) {
          data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
        }
      }
      text = data.toString().strip();
      if (text.isEmpty() || text.equals("[DONE]")) {
        return null;
      }
    }
    try {
      JsonNode node = Json.MAPPER.readTree(text);
      return node instanceof ObjectNode object && object.has("choices") ? object : null;
    } catch (IOException e) {
      return null;
    }
  }
}
