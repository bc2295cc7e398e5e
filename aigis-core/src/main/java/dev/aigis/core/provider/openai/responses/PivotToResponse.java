package dev.aigis.core.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A pivot {@code chat.completion} as a Responses {@code response}: choice 0's
 * {@code reasoning_content} becomes a {@code reasoning} item, its text (and refusal) one
 * {@code message} item, each tool call a {@code function_call} item keeping the call id as
 * {@code call_id}; {@code length} and {@code content_filter} stops make it {@code incomplete}.
 * Stateless.
 */
final class PivotToResponse {

  private PivotToResponse() {}

  static ObjectNode translate(ObjectNode completion, ObjectNode request) {
    String id = completion.path("id").asText("aigis");
    ObjectNode response = ResponseObjects.response(id, completion.path("created").asLong(0),
        completion.path("model").asText(""), request, "completed");
    ArrayNode output = (ArrayNode) response.get("output");
    JsonNode choice = completion.path("choices").path(0);
    JsonNode message = choice.path("message");
    String reasoning = message.path("reasoning_content").asText("");
    if (!reasoning.isEmpty()) {
      output.add(ResponseObjects.reasoningItem(ResponseObjects.itemId("rs", id, output.size()), reasoning, "completed"));
    }
    String text = message.path("content").asText("");
    String refusal = message.path("refusal").asText("");
    if (!text.isEmpty() || !refusal.isEmpty()) {
      ObjectNode item = ResponseObjects.messageItem(ResponseObjects.itemId("msg", id, output.size()),
          ResponseObjects.itemStatus(choice.path("finish_reason").asText(null)));
      ArrayNode content = (ArrayNode) item.get("content");
      if (!text.isEmpty()) {
        content.add(ResponseObjects.outputText(text));
      }
      if (!refusal.isEmpty()) {
        content.add(ResponseObjects.refusal(refusal));
      }
      output.add(item);
    }
    for (JsonNode call : message.path("tool_calls")) {
      output.add(ResponseObjects.functionCall(ResponseObjects.itemId("fc", id, output.size()), call.path("id").asText(""),
          call.path("function").path("name").asText(""), call.path("function").path("arguments").asText(""),
          "completed"));
    }
    ResponseObjects.finish(response, choice.path("finish_reason").asText(null));
    ObjectNode usage = ResponseObjects.usage(completion.get("usage"));
    if (usage != null) {
      response.set("usage", usage);
    }
    return response;
  }
}
