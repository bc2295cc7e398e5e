package dev.aigis.core.api.text;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A string field of an answer that holds text the user sees: where it is, what it holds now, and
 * the token data that spells the same text again (OpenAI {@code logprobs}, Gemini
 * {@code logprobsResult}), or null when there is none.
 */
record Slot(JsonPointer at, String text, Tokens tokens) {

  /**
   * Token data beside a text, non-empty, and what replaces it once the text is edited: left as it
   * was, it would hand the client the original text token by token.
   */
  record Tokens(JsonPointer at, JsonNode neutral) {}
}
