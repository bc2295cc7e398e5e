package dev.aigis.core.usage;

/**
 * Token usage normalised across providers. {@code cachedInput} and {@code reasoning} are parts of
 * {@code input} and {@code output} respectively, not additions to them.
 */
public record TokenUsage(long input, long output, long total, long cachedInput, long reasoning) {

  public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0);

  public static TokenUsage of(long input, long output) {
    return new TokenUsage(input, output, input + output, 0, 0);
  }
}
