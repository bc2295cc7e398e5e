package dev.aigis.core.sse;

/**
 * One server-sent event. {@code data} is the data lines joined with {@code \n}, or null for a block
 * that had none (comments only, such as keep-alives). {@code raw} is the exact bytes of the block,
 * terminating blank line included, so a processor that does not change an event forwards it as is.
 * With CRLF line ends the block is dispatched at the blank line's CR, without waiting for its LF,
 * so that LF starts the next block's {@code raw}: the raws of all events, in order, are always
 * exactly the stream (a property SseDecoderFuzzTest checks).
 */
public record SseEvent(String event, String data, String id, byte[] raw) {

  public boolean isDone() {
    return "[DONE]".equals(data);
  }
}
