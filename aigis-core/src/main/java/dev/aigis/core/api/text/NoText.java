package dev.aigis.core.api.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Endpoints whose answers hold no model text (embeddings, models, token counts, rerank, passthrough). */
final class NoText extends TextLocator {

  @Override
  void bodySlots(JsonNode body, List<Slot> out) {}

  @Override
  void deltaSlots(String type, JsonNode data, List<Slot> out) {}
}
