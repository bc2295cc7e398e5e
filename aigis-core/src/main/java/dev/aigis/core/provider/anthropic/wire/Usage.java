package dev.aigis.core.provider.anthropic.wire;

/**
 * Token counts. {@code inputTokens} excludes cached tokens: the prompt's size is the sum of the
 * three input fields.
 */
public record Usage(
    Long inputTokens,
    Long outputTokens,
    Long cacheCreationInputTokens,
    Long cacheReadInputTokens) {}
