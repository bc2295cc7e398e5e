package dev.aigis.model.processing;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;

/**
 * {@code type: ResponseCache}: answers a request from earlier answers, by an exact match of the
 * normalised request or by a paraphrase of its last user message (docs/semantic.md, cache part).
 *
 * @param exact the exact tier: the key is a hash of the normalised request
 * @param semantic the semantic tier: the last user message's embedding within a partition of model,
 *     system prompt, tools and earlier turns
 * @param ttl how long an answer is served after it was stored
 * @param maxEntries the most answers kept; the oldest go first
 * @param maxTemperature requests whose {@code temperature} is above it are neither looked up nor
 *     stored; a request without one counts as {@link #DEFAULT_REQUEST_TEMPERATURE} (the providers' default)
 * @param store where answers live: memory (default) or Redis
 * @param scope who shares answers: {@code Shared} (default: every caller of the routes the cache is
 *     attached to), {@code Team} (callers of the same team), {@code Caller} (each caller alone);
 *     callers are told apart by their authenticated identity, else by their address
 */
public record ResponseCacheSpec(
    Exact exact, Semantic semantic, Duration ttl, long maxEntries, BigDecimal maxTemperature, Store store,
    String scope) implements ProcessorConfig {

  public static final java.util.List<String> SCOPES = java.util.List.of("Shared", "Team", "Caller");

  public ResponseCacheSpec {
    scope = scope == null ? "Shared" : scope;
  }

  /** Shared by every caller. */
  public ResponseCacheSpec(Exact exact, Semantic semantic, Duration ttl, long maxEntries, BigDecimal maxTemperature,
      Store store) {
    this(exact, semantic, ttl, maxEntries, maxTemperature, store, "Shared");
  }

  public static final Duration DEFAULT_TTL = Duration.ofHours(1);
  public static final long DEFAULT_MAX_ENTRIES = 10_000;
  public static final BigDecimal DEFAULT_MAX_TEMPERATURE = BigDecimal.ONE;
  /** What a request that names no {@code temperature} counts as: OpenAI's and Anthropic's default. */
  public static final BigDecimal DEFAULT_REQUEST_TEMPERATURE = BigDecimal.ONE;

  /** @param enabled whether identical requests are served from the cache */
  public record Exact(boolean enabled) {}

  /**
   * @param enabled whether paraphrases are served from the cache
   * @param threshold the least cosine similarity a cached question must have to the new one; null
   *     for the shipped default. A candidate above it must still pass the shipped paraphrase check
   */
  public record Semantic(boolean enabled, BigDecimal threshold) {}

  /**
   * Where the cache keeps its answers.
   *
   * @param redisUrl {@code redis://host:port[/db]}; null: in this process's memory
   * @param passwordSecret a Secret (same namespace) whose {@code password} key authenticates to Redis, or null
   * @param timeout how long one store call may take before the lookup counts as a miss
   */
  public record Store(URI redisUrl, String passwordSecret, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);
    public static final Store MEMORY = new Store(null, null, DEFAULT_TIMEOUT);

    public Store {
      timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    public boolean inMemory() {
      return redisUrl == null;
    }
  }
}
