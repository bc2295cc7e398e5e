/**
 * Provider adapters: any client API in, any backend schema out.
 *
 * <p>OpenAI's chat format is the pivot. An {@link dev.aigis.core.provider.InboundCodec} turns a
 * client request (OpenAI or Anthropic Messages) into the pivot and the pivot answer back into the
 * client's format, event by event for streams. A {@link dev.aigis.core.provider.BackendTranslator}
 * turns the pivot into one backend's request (path, headers, body) and that backend's answer, plain
 * or streamed in its own framing, back into pivot chunks. Same-format pairs (OpenAI to OpenAI,
 * Anthropic to Anthropic) bypass the pivot entirely so nothing is lost.
 *
 * <p>Both are created per request, hold their own stream state, and are driven from one thread at
 * a time. One package per provider ({@code provider/anthropic}, ...) holds its wire records,
 * translators and tests with golden fixtures under {@code src/test/resources/fixtures/<provider>/}.
 */
package dev.aigis.core.provider;
