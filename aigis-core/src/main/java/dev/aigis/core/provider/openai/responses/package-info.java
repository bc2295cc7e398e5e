/**
 * OpenAI's Responses API on both sides of the chat pivot.
 *
 * <p>In: {@link dev.aigis.core.provider.openai.responses.ResponsesInboundCodec} serves
 * {@code POST /v1/responses} clients on backends that do not speak Responses (request to pivot,
 * pivot answers and chunks to {@code response} objects and typed events), and
 * {@link dev.aigis.core.provider.openai.responses.ResponsesTokenCount} answers
 * {@code /v1/responses/input_tokens} for them. Out:
 * {@link dev.aigis.core.provider.openai.responses.OpenAiToOpenAiResponsesTranslator} reaches an
 * OpenAI server that speaks only Responses ({@code spec.openai.api: Responses}). A Responses
 * client and a server that speaks Responses pass through natively instead
 * ({@code BackendAdapters}). Golden fixtures: {@code fixtures/openai-responses-inbound/} and
 * {@code fixtures/openai-responses/chat/}.
 */
package dev.aigis.core.provider.openai.responses;
