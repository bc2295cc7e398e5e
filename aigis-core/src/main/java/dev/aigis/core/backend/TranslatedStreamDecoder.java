package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.OpenAiUsage;
import dev.aigis.core.usage.TokenUsage;

/**
 * A translated stream: the backend's framing becomes pivot chunks ({@link BackendTranslator}),
 * which leave as events in the client's format ({@link InboundCodec}) as soon as each is complete,
 * each with its pivot chunk alongside.
 */
final class TranslatedStreamDecoder implements ResponseDecoder {

  private final InboundCodec codec;
  private final BackendTranslator translator;
  private final boolean clientAskedForUsage;
  private EventSink sink;
  private TokenUsage usage;

  TranslatedStreamDecoder(InboundCodec codec, BackendTranslator translator, boolean clientAskedForUsage) {
    this.codec = codec;
    this.translator = translator;
    this.clientAskedForUsage = clientAskedForUsage;
  }

  @Override
  public void bytes(byte[] chunk, EventSink out) throws TranslationException {
    sink = out;
    translator.streamBytes(chunk, this::onChunk);
  }

  private void onChunk(ObjectNode chunk) {
    JsonNode choices = chunk.path("choices");
    boolean usageOnly = chunk.has("usage") && !chunk.path("usage").isNull() && choices.isArray() && choices.isEmpty();
    if (usageOnly) {
      usage = OpenAiUsage.from(chunk.path("usage"));
      // An OpenAI client sees the usage chunk only when it asked for it; other codecs use it for their own events.
      if (codec.api() == InboundApi.OpenAI && !clientAskedForUsage) {
        return;
      }
    }
    codec.pivotChunk(chunk, bytes -> sink.emit(bytes, chunk));
  }

  @Override
  public void end(EventSink out) throws TranslationException {
    sink = out;
    translator.streamEnd(this::onChunk);
    codec.pivotEnd(bytes -> out.emit(bytes, null));
  }

  @Override
  public TokenUsage usage() {
    TokenUsage read = translator.usage();
    return read != null ? read : usage;
  }

  @Override
  public boolean events() {
    return true;
  }

  @Override
  public String contentType() {
    return "text/event-stream";
  }
}
