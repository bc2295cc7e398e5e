package dev.aigis.core.api.text;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Gemini {@code generateContent} and {@code streamGenerateContent?alt=sse}: the {@code text} of
 * {@code content.parts[]} that are not {@code thought: true} (reasoning summaries), in every
 * candidate of a body and in the first candidate of a stream chunk (a chunk may hold several text
 * parts).
 */
final class GeminiText extends TextLocator {

  @Override
  void bodySlots(JsonNode body, List<Slot> out) {
    JsonNode candidates = array(body.path("candidates"));
    for (int i = 0; i < candidates.size(); i++) {
      candidateSlots(candidates.get(i), i, out);
    }
  }

  @Override
  void deltaSlots(String type, JsonNode data, List<Slot> out) {
    JsonNode candidates = array(data.path("candidates"));
    if (candidates.isArray() && !candidates.isEmpty()) {
      candidateSlots(candidates.get(0), 0, out);
    }
  }

  private static void candidateSlots(JsonNode candidate, int index, List<Slot> out) {
    JsonNode parts = array(candidate.path("content").path("parts"));
    JsonPointer at = root().appendProperty("candidates").appendIndex(index).appendProperty("content")
        .appendProperty("parts");
    for (int p = 0; p < parts.size(); p++) {
      JsonNode part = parts.get(p);
      if (!part.path("thought").asBoolean(false)) {
        stringAt(part, "text", at.appendIndex(p), out);
      }
    }
  }
}
