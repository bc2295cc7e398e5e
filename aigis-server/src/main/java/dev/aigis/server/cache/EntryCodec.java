package dev.aigis.server.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aigis.core.cache.CacheEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * An entry as JSON in Redis: {@code {id, exactKey, partition, vector, completion, storedAt,
 * expiresAt, question}}, the vector as base64 of float32 little-endian (2 KiB for 384 dimensions, a third of
 * a JSON number array) or null. The stream carries the same vector text.
 */
final class EntryCodec {

  // a field a later version adds is ignored, so replicas of two versions share a cache during a rollout
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private record Wire(
      String id, String exactKey, String partition, String vector, String completion, long storedAt, long expiresAt,
      String question) {}

  private EntryCodec() {}

  static String encode(CacheEntry entry) {
    try {
      return JSON.writeValueAsString(new Wire(entry.id(), entry.exactKey(), entry.partition(), vector(entry.vector()),
          entry.completion(), entry.storedAtMillis(), entry.expiresAtMillis(), entry.question()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a cache entry cannot be written as JSON", e);
    }
  }

  /** The entry, or null for text no store wrote (a foreign or corrupt value counts as a miss). */
  static CacheEntry decode(String json) {
    try {
      Wire wire = JSON.readValue(json, Wire.class);
      if (wire.id() == null || wire.exactKey() == null || wire.partition() == null || wire.completion() == null) {
        return null;
      }
      return new CacheEntry(wire.id(), wire.exactKey(), wire.partition(), vector(wire.vector()), wire.completion(),
          wire.storedAt(), wire.expiresAt(), wire.question());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Base64 of the float32 little-endian bytes; the empty string for no vector. */
  static String vector(float[] vector) {
    if (vector == null) {
      return null;
    }
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(vector);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  /** The vector of {@link #vector(float[])}'s text; null for null or empty text. */
  static float[] vector(String base64) {
    if (base64 == null || base64.isEmpty()) {
      return null;
    }
    byte[] bytes = Base64.getDecoder().decode(base64);
    if (bytes.length % Float.BYTES != 0) {
      throw new IllegalArgumentException("a vector of " + bytes.length + " bytes is not float32");
    }
    float[] vector = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    return vector;
  }
}
