package dev.aigis.core.backend;

import dev.aigis.core.usage.TokenUsage;
import dev.aigis.core.usage.UsageTail;

/**
 * A native non-streamed answer, relayed chunk by chunk as received. For model calls it keeps the
 * last {@link UsageTail#CAPACITY} bytes, where providers put {@code usage}, to read token usage at
 * the end without copying or parsing the whole answer.
 */
final class PassthroughBodyDecoder implements ResponseDecoder {

  private final UsageTail tail;

  /** @param usageReader the provider's usage shape, or null when the answer carries no usage */
  PassthroughBodyDecoder(UsageTail.Reader usageReader) {
    this.tail = usageReader == null ? null : new UsageTail(usageReader);
  }

  @Override
  public void bytes(byte[] chunk, EventSink out) {
    if (tail != null) {
      tail.append(chunk);
    }
    out.emit(chunk, null);
  }

  @Override
  public void end(EventSink out) {
  }

  @Override
  public TokenUsage usage() {
    return tail == null ? null : tail.usage();
  }

  @Override
  public boolean passesThrough() {
    return true;
  }

  @Override
  public boolean events() {
    return false;
  }

  @Override
  public String contentType() {
    return null;
  }
}
