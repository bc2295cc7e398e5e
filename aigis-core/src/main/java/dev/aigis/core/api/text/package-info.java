/**
 * The text of model answers in the client's own wire format (OpenAI chat and completions, OpenAI
 * Responses, Anthropic messages, Gemini), for whole bodies and single SSE events:
 * {@link dev.aigis.core.api.text.ResponseText} reads it and rewrites it byte-exactly, so a guard
 * processor redacts or stops text without knowing the client API.
 */
package dev.aigis.core.api.text;
