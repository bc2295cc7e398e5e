package dev.aigis.core.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.usage.OpenAiUsage;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;

/**
 * Reads usage from OpenAI stream chunks (whole bodies: {@link dev.aigis.core.usage.UsageTail}). Only the top-level
 * {@code usage} object is materialised; the rest is tokenised and skipped, which also proves the
 * chunk is well-formed JSON.
 */
public final class OpenAiResponseInspector {

  private OpenAiResponseInspector() {}

  /** @throws IOException when the chunk is not a JSON object */
  public static StreamChunk chunk(String data) throws IOException {
    try (JsonParser p = Json.FACTORY.createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("stream chunk is not a JSON object");
      }
      TokenUsage usage = null;
      boolean choicesEmpty = false;
      boolean sawChoices = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
          usage = OpenAiUsage.read(p);
        } else if ("choices".equals(field)) {
          sawChoices = true;
          choicesEmpty = isEmptyArray(p, value);
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new IOException("trailing content after stream chunk");
      }
      if (usage == null) {
        return StreamChunk.PLAIN;
      }
      return new StreamChunk(usage, !sawChoices || choicesEmpty);
    }
  }

  /** Consumes the value that starts with {@code value}; true when it is {@code []}. */
  private static boolean isEmptyArray(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      p.skipChildren();
      return false;
    }
    JsonToken element = p.nextToken();
    if (element == JsonToken.END_ARRAY) {
      return true;
    }
    do {
      p.skipChildren();
    } while (p.nextToken() != JsonToken.END_ARRAY);
    return false;
  }
}
