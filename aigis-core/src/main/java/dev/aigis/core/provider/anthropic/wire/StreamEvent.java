package dev.aigis.core.provider.anthropic.wire;

/**
 * The {@code data} of one streamed event; {@code type} repeats the SSE event name. Which fields
 * are set depends on the type: {@code message} (message_start), {@code index} and {@code
 * contentBlock} (content_block_start), {@code index} and {@code delta} (content_block_delta),
 * {@code delta} and {@code usage} (message_delta), {@code error} (error).
 */
public record StreamEvent(
    String type,
    Integer index,
    Message message,
    ContentBlock contentBlock,
    Delta delta,
    Usage usage,
    ErrorDetail error) {}
