package dev.aigis.core.provider.anthropic.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One answer content block: {@code text} (text), {@code tool_use} (id, name, input),
 * {@code thinking} (thinking, signature), {@code redacted_thinking} (data), or a kind the OpenAI
 * shape has no place for (server tools).
 */
public record ContentBlock(String type, String text, String id, String name, JsonNode input, String thinking,
    String signature, String data) {}
