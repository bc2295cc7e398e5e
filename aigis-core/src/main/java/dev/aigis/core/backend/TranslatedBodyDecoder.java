package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenUsage;
import java.io.ByteArrayOutputStream;

/** A translated non-streamed answer: read whole (capped), translated, written as one chunk. */
final class TranslatedBodyDecoder implements ResponseDecoder {

  /** A non-streamed answer is read whole to translate it; this bounds it. */
  static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;

  private final InboundCodec codec;
  private final BackendTranslator translator;
  private final String backend;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();

  TranslatedBodyDecoder(InboundCodec codec, BackendTranslator translator, String backend) {
    this.codec = codec;
    this.translator = translator;
    this.backend = backend;
  }

  @Override
  public void bytes(byte[] chunk, EventSink out) throws TranslationException {
    if (body.size() + chunk.length > MAX_ANSWER_BYTES) {
      throw new TranslationException(new GatewayError.UpstreamProtocolError(backend, "answer too large to translate"));
    }
    body.writeBytes(chunk);
  }

  @Override
  public void end(EventSink out) throws TranslationException {
    ObjectNode pivot = translator.chatResponse(body.toByteArray());
    out.emit(codec.fromPivot(pivot), pivot);
  }

  @Override
  public TokenUsage usage() {
    return translator.usage();
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
