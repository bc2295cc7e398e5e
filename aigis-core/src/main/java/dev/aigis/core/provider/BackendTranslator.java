package dev.aigis.core.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.usage.TokenUsage;
import java.util.function.Consumer;

/**
 * Translates one exchange from the OpenAI chat pivot to a backend schema and back. Created per
 * request; holds the stream's state (partial frames, open tool calls, usage so far). Not
 * thread-safe.
 */
public interface BackendTranslator {

  /** The upstream request for an OpenAI-shaped chat request. */
  UpstreamCall chatRequest(ObjectNode openAiRequest, BackendCall call) throws TranslationException;

  /** A non-streamed 2xx answer as an OpenAI {@code chat.completion} object. */
  ObjectNode chatResponse(byte[] body) throws TranslationException;

  /**
   * Raw bytes of the upstream stream, cut anywhere; emits OpenAI {@code chat.completion.chunk}
   * objects in order as soon as each is complete. An error the provider reports inside the stream
   * (an Anthropic {@code error} event, a Bedrock exception message) is thrown, never emitted as text.
   */
  void streamBytes(byte[] bytes, Consumer<ObjectNode> chunks) throws TranslationException;

  /** The upstream stream ended: emits any final chunks; throws when it ended before its proper end. */
  void streamEnd(Consumer<ObjectNode> chunks) throws TranslationException;

  /** A non-2xx upstream answer as a gateway error: the provider's message kept, its shape translated. */
  GatewayError upstreamError(int status, byte[] body);

  /** Usage as known so far (complete after the answer or the stream's end), or null. */
  TokenUsage usage();
}
