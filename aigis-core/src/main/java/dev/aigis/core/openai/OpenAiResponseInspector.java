package dev.aigis.core.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.usage.OpenAiUsage;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;

/**
 * Reads usage from OpenAI responses: whole JSON bodies and stream chunks. Only the top-level
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

  private static final byte[] USAGE_KEY = "\"usage\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * Usage from the end of a JSON body: finds the last unescaped {@code "usage"} key (inside JSON
   * strings quotes are escaped, so an unescaped one is always a key) and reads the object after it.
   * Null when there is none or it does not parse.
   */
  public static TokenUsage usageInTail(byte[] tail) {
    for (int at = tail.length - USAGE_KEY.length; at >= 0; at--) {
      if (!startsWith(tail, at, USAGE_KEY) || (at > 0 && tail[at - 1] == '\\')) {
        continue;
      }
      int colon = at + USAGE_KEY.length;
      while (colon < tail.length && tail[colon] != ':') {
        colon++;
      }
      try (JsonParser p = Json.FACTORY.createParser(tail, colon + 1, tail.length - colon - 1)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        return OpenAiUsage.read(p);
      } catch (IOException e) {
        return null;
      }
    }
    return null;
  }

  private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
