package dev.aigis.core.openai;

import dev.aigis.core.usage.TokenUsage;

/**
 * What the gateway reads from one OpenAI stream chunk.
 *
 * @param usage the chunk's usage, or null
 * @param usageOnly true for the extra chunk {@code include_usage} adds: no choices, only usage
 */
public record StreamChunk(TokenUsage usage, boolean usageOnly) {

  public static final StreamChunk PLAIN = new StreamChunk(null, false);
}
