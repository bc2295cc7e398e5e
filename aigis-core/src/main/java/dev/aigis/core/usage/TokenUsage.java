package dev.aigis.core.usage;

/**
 * Token usage normalised across providers. {@code cachedInput} (cache reads), {@code cacheWrite}
 * (tokens written to the provider's prompt cache, which Anthropic and Bedrock bill apart) and
 * {@code reasoning} are parts of {@code input}, {@code input} and {@code output} respectively, not
 * additions to them. In the pivot they are {@code prompt_tokens_details.cached_tokens},
 * {@code prompt_tokens_details.cache_creation_tokens} (an Aigis extension) and
 * {@code completion_tokens_details.reasoning_tokens}.
 */
public record TokenUsage(long input, long output, long total, long cachedInput, long reasoning, long cacheWrite) {

  public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0, 0);

  /** Without cache writes. */
  public TokenUsage(long input, long output, long total, long cachedInput, long reasoning) {
    this(input, output, total, cachedInput, reasoning, 0);
  }

  public static TokenUsage of(long input, long output) {
    return new TokenUsage(input, output, input + output, 0, 0, 0);
  }
}
