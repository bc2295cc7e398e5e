package dev.aigis.core.sse;

/**
 * One server-sent event. {@code data} is the data lines joined with {@code \n}, or null for a block
 * that had none (comments only, such as keep-alives). {@code raw} is the exact bytes of the block,
 * terminating blank line included, so a processor that does not change an event forwards it as is.
 */
public record SseEvent(String event, String data, String id, byte[] raw) {

  public boolean isDone() {
    return "[DONE]".equals(data);
  }
}
