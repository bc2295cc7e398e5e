/**
 * Anthropic Messages API answer types as they arrive on the wire, read with snake_case names and
 * unknown fields ignored ({@code AnthropicJson.READER}). Data only: no defaults, no logic. Boxed
 * numbers are null when the field is absent (a {@code message_delta}'s usage often lacks input
 * counts), which is different from zero.
 */
package dev.aigis.core.provider.anthropic.wire;
