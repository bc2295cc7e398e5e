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
 * @param question the last user message the answer was for, or null (exact tier only): the semantic
 *     tier's paraphrase check compares it word by word with a new question, which a vector alone
 *     cannot do (word-order swaps keep the embedding). A shared store keeps it with the entry
 */
public record CacheEntry(
    String id, String exactKey, String partition, float[] vector, String completion, long storedAtMillis,
    long expiresAtMillis, String question) {

  /** An entry without its question (exact tier only, or a store that predates questions). */
  public CacheEntry(String id, String exactKey, String partition, float[] vector, String completion,
      long storedAtMillis, long expiresAtMillis) {
    this(id, exactKey, partition, vector, completion, storedAtMillis, expiresAtMillis, null);
  }

  public CacheEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(exactKey, "exactKey");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(completion, "completion");
  }

  /** This entry without its vector (the index holds it; the memory store need not keep a copy). */
  public CacheEntry withoutVector() {
    return vector == null ? this
        : new CacheEntry(id, exactKey, partition, null, completion, storedAtMillis, expiresAtMillis, question);
  }

  public boolean liveAt(long nowMillis) {
    return nowMillis < expiresAtMillis;
  }
}
