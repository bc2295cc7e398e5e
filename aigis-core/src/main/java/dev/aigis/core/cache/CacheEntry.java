package dev.aigis.core.cache;

import java.util.Objects;

/**
 * One cached answer as a {@link ResponseCacheStore} keeps it.
 *
 * @param id unique per entry (random), the index's handle on it
 * @param exactKey the exact tier's key: a hash of the normalised request (model, messages, tools,
 *     sampling parameters that change the answer)
 * @param partition the semantic tier's partition: a hash of what must match exactly for a
 *     paraphrase to share an answer (model, system prompt, tool set, earlier turns)
 * @param vector the unit-length embedding of the last user message, or null when the entry is
 *     only for the exact tier
 * @param completion the answer as an OpenAI {@code chat.completion} JSON text, usage included;
 *     a hit renders it in the client's format
 * @param storedAtMillis when it was stored (epoch millis)
 * @param expiresAtMillis when it stops being served (epoch millis)
 */
public record CacheEntry(
    String id, String exactKey, String partition, float[] vector, String completion, long storedAtMillis,
    long expiresAtMillis) {

  public CacheEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(exactKey, "exactKey");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(completion, "completion");
  }

  public boolean liveAt(long nowMillis) {
    return nowMillis < expiresAtMillis;
  }
}
