package dev.aigis.core.backend;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenUsage;
import java.io.ByteArrayOutputStream;

/**
 * A small non-streamed answer rewritten whole into the client's format (Bedrock's count-tokens
 * answer into Anthropic's). Buffering is declared and capped: answers this decoder serves are a few
 * bytes, so {@value #MAX_BYTES} bytes only stops a misbehaving upstream. Not thread-safe.
 */
final class WholeAnswerDecoder implements ResponseDecoder {

  static final int MAX_BYTES = 64 * 1024;

  /** The whole upstream answer into the client's. */
  @FunctionalInterface
  interface Rewrite {
    byte[] apply(byte[] answer) throws TranslationException;
  }

  private final Rewrite rewrite;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  WholeAnswerDecoder(Rewrite rewrite) {
    this.rewrite = rewrite;
  }

  @Override
  public void bytes(byte[] chunk, EventSink out) throws TranslationException {
    if (buffer.size() + chunk.length > MAX_BYTES) {
      throw new TranslationException(new GatewayError.UpstreamProtocolError("upstream",
          "the answer is larger than " + MAX_BYTES + " bytes"));
    }
    buffer.writeBytes(chunk);
  }

  @Override
  public void end(EventSink out) throws TranslationException {
    out.emit(rewrite.apply(buffer.toByteArray()), null);
  }

  @Override
  public TokenUsage usage() {
    return null;
  }

  @Override
  public boolean events() {
    return false;
  }

  @Override
  public String contentType() {
    return "application/json";
  }
}
