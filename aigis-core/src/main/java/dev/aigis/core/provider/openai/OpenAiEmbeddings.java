package dev.aigis.core.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The OpenAI side of embeddings translation: the texts of a request's {@code input} and the
 * {@code list} answer built from the backend's vectors. {@code input} is a string or an array of
 * strings; token arrays (arrays of integers) are refused with 400, since other providers take
 * text. {@code encoding_format: base64} gives each vector as base64 of little-endian float32, as
 * OpenAI does; {@code user} is dropped.
 */
public final class OpenAiEmbeddings {

  private OpenAiEmbeddings() {}

  /** The texts to embed, in order; 400 when {@code input} is missing, empty or not text. */
  public static List<String> inputs(ObjectNode request) throws TranslationException {
    JsonNode input = request.get("input");
    List<String> texts = new ArrayList<>();
    if (input != null && input.isTextual()) {
      texts.add(input.asText());
    } else if (input != null && input.isArray()) {
      for (JsonNode item : input) {
        if (!item.isTextual()) {
          throw invalid("'input' must be a string or an array of strings on this backend (token arrays are not supported)");
        }
        texts.add(item.asText());
      }
    } else {
      throw invalid("'input' must be a string or an array of strings");
    }
    if (texts.isEmpty()) {
      throw invalid("'input' must not be empty");
    }
    return texts;
  }

  /** Whether the client asked for base64 vectors; 400 for a format other than float or base64. */
  public static boolean base64(ObjectNode request) throws TranslationException {
    JsonNode format = request.get("encoding_format");
    if (format == null || format.isNull() || "float".equals(format.asText())) {
      return false;
    }
    if ("base64".equals(format.asText())) {
      return true;
    }
    throw invalid("'encoding_format' must be float or base64");
  }

  /** {@code dimensions} when given (a positive integer), else null. */
  public static Integer dimensions(ObjectNode request) throws TranslationException {
    JsonNode dimensions = request.get("dimensions");
    if (dimensions == null || dimensions.isNull()) {
      return null;
    }
    if (!dimensions.canConvertToInt() || !dimensions.isIntegralNumber() || dimensions.asInt() < 1) {
      throw invalid("'dimensions' must be a positive integer");
    }
    return dimensions.asInt();
  }

  /** The OpenAI answer: one {@code embedding} per vector (each a JSON array of numbers), in order. */
  public static ObjectNode list(List<JsonNode> vectors, String model, long promptTokens, boolean base64) {
    ObjectNode out = Json.MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = out.putArray("data");
    for (int i = 0; i < vectors.size(); i++) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        item.put("embedding", toBase64(vectors.get(i)));
      } else {
        ArrayNode floats = item.putArray("embedding");
        vectors.get(i).forEach(v -> floats.add(v.floatValue()));
      }
    }
    out.put("model", model);
    out.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
    return out;
  }

  /** Little-endian float32 values, base64-encoded: what OpenAI sends for {@code encoding_format: base64}. */
  public static String toBase64(JsonNode vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
    vector.forEach(v -> bytes.putFloat(v.floatValue()));
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  public static TranslationException invalid(String message) {
    return new TranslationException(new GatewayError.InvalidRequest(message, null));
  }
}
