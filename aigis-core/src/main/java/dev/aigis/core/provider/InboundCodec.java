package dev.aigis.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.ErrorRenderer;
import java.util.function.Consumer;

/**
 * A client API's side of translation: its request into the OpenAI chat pivot, and the pivot's
 * answer back into its format. Created per request; holds the stream's state. Not thread-safe.
 */
public interface InboundCodec {

  InboundApi api();

  /** The client's request as an OpenAI chat request. */
  ObjectNode toPivot(JsonNode clientRequest) throws TranslationException;

  /** An OpenAI {@code chat.completion} as the client's non-streamed answer body. */
  byte[] fromPivot(ObjectNode openAiResponse);

  /** One OpenAI chunk as zero or more complete SSE events (bytes) in the client's format. */
  void pivotChunk(ObjectNode openAiChunk, Consumer<byte[]> events);

  /** The stream's end in the client's format (e.g. Anthropic's {@code message_stop}, OpenAI's {@code [DONE]}). */
  void pivotEnd(Consumer<byte[]> events);

  /** How errors look in this API. */
  ErrorRenderer errors();
}
