package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenUsage;
import dev.aigis.core.usage.UsageTail;

/**
 * A native non-streamed answer, relayed chunk by chunk as received. For model calls it keeps the
 * last {@link UsageTail#CAPACITY} bytes, where providers put {@code usage}, to read token usage at
 * the end without copying or parsing the whole answer.
 */
final class PassthroughBodyDecoder implements ResponseDecoder {

  /** Reads a whole answer of this API into its pivot. */
  @FunctionalInterface
  interface WholePivot {
    ObjectNode of(byte[] body) throws TranslationException, java.io.IOException;
  }

  private final UsageTail tail;
  private final WholePivot wholePivot;

  /** @param usageReader the provider's usage shape, or null when the answer carries no usage */
  PassthroughBodyDecoder(UsageTail.Reader usageReader) {
    this(usageReader, null);
  }

  /** @param wholePivot how a whole answer becomes a pivot, or null when it has none */
  PassthroughBodyDecoder(UsageTail.Reader usageReader, WholePivot wholePivot) {
    this(usageReader == null ? null : new UsageTail(usageReader), wholePivot);
  }

  /** @param tail reads usage from the answer's last bytes (a provider's own usage key), or null */
  PassthroughBodyDecoder(UsageTail tail, WholePivot wholePivot) {
    this.tail = tail;
    this.wholePivot = wholePivot;
  }

  @Override
  public ObjectNode pivotOfWhole(byte[] body) {
    if (wholePivot == null) {
      return null;
    }
    try {
      return wholePivot.of(body);
    } catch (TranslationException | java.io.IOException | RuntimeException e) {
      return null; // not the answer it should be; processors get its bytes as received
    }
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
