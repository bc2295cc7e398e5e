package dev.aigis.core.provider.anthropic.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One answer content block: {@code text} (text), {@code tool_use} (id, name, input), or a kind the
 * OpenAI shape has no place for ({@code thinking}, {@code redacted_thinking}, server tools).
 */
public record ContentBlock(String type, String text, String id, String name, JsonNode input) {}
