package dev.aigis.core.api.text;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Gemini {@code generateContent} and {@code streamGenerateContent?alt=sse}: the {@code text} of
 * {@code content.parts[]} that are not {@code thought: true} (reasoning summaries), in every
 * candidate of a body and in the first candidate of a stream chunk (a chunk may hold several text
 * parts). A buffered JSON-array stream ({@code streamGenerateContent} without {@code alt=sse}) is
 * read as its list of responses. An edited candidate loses its {@code logprobsResult} (null).
 */
final class GeminiText extends TextLocator {

  @Override
  void bodySlots(JsonNode body, List<Slot> out) {
    if (body.isArray()) { // streamGenerateContent without alt=sse, buffered: a list of responses
      for (int r = 0; r < body.size(); r++) {
        responseSlots(body.get(r), root().appendIndex(r), out);
      }
    } else {
      responseSlots(body, root(), out);
    }
  }

  private static void responseSlots(JsonNode response, JsonPointer at, List<Slot> out) {
    JsonNode candidates = array(response.path("candidates"));
    for (int i = 0; i < candidates.size(); i++) {
      candidateSlots(candidates.get(i), at.appendProperty("candidates").appendIndex(i), out);
    }
  }

  @Override
  void deltaSlots(String type, JsonNode data, List<Slot> out) {
    JsonNode candidates = array(data.path("candidates"));
    if (candidates.isArray() && !candidates.isEmpty()) {
      candidateSlots(candidates.get(0), root().appendProperty("candidates").appendIndex(0), out);
    }
  }

  private static void candidateSlots(JsonNode candidate, JsonPointer candidateAt, List<Slot> out) {
    JsonNode parts = array(candidate.path("content").path("parts"));
    Slot.Tokens tokens = tokens(candidate, "logprobsResult", candidateAt, NULL);
    JsonPointer at = candidateAt.appendProperty("content").appendProperty("parts");
    for (int p = 0; p < parts.size(); p++) {
      JsonNode part = parts.get(p);
      if (!part.path("thought").asBoolean(false)) {
        stringAt(part, "text", at.appendIndex(p), tokens, out);
      }
    }
  }
}
