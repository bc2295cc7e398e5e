/**
 * Anthropic Messages clients on any backend: {@link
 * dev.aigis.core.provider.anthropic.inbound.AnthropicInboundCodec} translates requests into the
 * OpenAI chat pivot and answers (whole or streamed) back; {@link
 * dev.aigis.core.provider.anthropic.inbound.AnthropicTokenCount} answers {@code count_tokens}
 * locally. The translators themselves are package-private.
 */
package dev.aigis.core.provider.anthropic.inbound;
