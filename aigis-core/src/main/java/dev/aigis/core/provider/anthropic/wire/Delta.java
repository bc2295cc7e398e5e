package dev.aigis.core.provider.anthropic.wire;

/**
 * A content block delta ({@code text_delta}: text; {@code input_json_delta}: partialJson;
 * {@code thinking_delta}: thinking; {@code signature_delta}: signature; {@code citations_delta})
 * or a message delta (stopReason, stopSequence; no type).
 */
public record Delta(String type, String text, String partialJson, String stopReason, String stopSequence,
    String thinking, String signature) {}
