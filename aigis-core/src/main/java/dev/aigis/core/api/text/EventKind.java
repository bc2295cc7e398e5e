package dev.aigis.core.api.text;

/** What one stream event holds of the answer's text, as {@link ResponseText#kind} reads it. */
public enum EventKind {
  /** No answer text: a role or usage chunk, {@code [DONE]}, a ping, a block boundary, a comment, tool calls. */
  NONE,
  /**
   * Adds to the answer: {@link ResponseText#deltaText} reads it, {@link ResponseText#withDeltaText}
   * replaces it. Its text may be empty (OpenAI's first chunk has {@code "content":""}).
   */
  DELTA,
  /**
   * Repeats whole texts of the answer so far (OpenAI Responses' {@code .done} and
   * {@code response.completed} events); {@link ResponseText#rewriteWholeTexts} edits them.
   */
  WHOLE_TEXT,
  /**
   * Not readable: its data is not a JSON object, repeats a key within one object (clients differ
   * on which copy they believe), or the bytes hold more than one event. Every method passes
   * it unchanged; a guard that must not let unseen text through decides what to do with it.
   */
  UNREADABLE
}
