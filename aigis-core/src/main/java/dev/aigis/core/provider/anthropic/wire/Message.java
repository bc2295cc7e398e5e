package dev.aigis.core.provider.anthropic.wire;

import java.util.List;

/** A {@code message} object: a non-streamed answer, or the shell inside {@code message_start}. */
public record Message(
    String id,
    String type,
    String role,
    String model,
    List<ContentBlock> content,
    String stopReason,
    String stopSequence,
    Usage usage) {}
