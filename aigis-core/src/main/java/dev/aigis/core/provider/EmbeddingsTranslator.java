package dev.aigis.core.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.usage.TokenUsage;
import java.util.List;

/**
 * Translates one OpenAI {@code /v1/embeddings} exchange to a backend schema and back. Never
 * streamed. A backend that embeds one text per call (Bedrock Titan) gets several calls, sent in
 * order; the answers come back in the same order. Created per request; not thread-safe.
 */
public interface EmbeddingsTranslator {

  /** The upstream calls (at least one) for an OpenAI embeddings request. */
  List<UpstreamCall> request(ObjectNode openAiRequest, BackendCall call) throws TranslationException;

  /** The 2xx answers, one per call and in order, as an OpenAI {@code list} of {@code embedding}s. */
  ObjectNode response(List<byte[]> bodies) throws TranslationException;

  /** A non-2xx upstream answer as a gateway error. */
  GatewayError upstreamError(int status, byte[] body);

  /** Usage after the answer, or null. */
  TokenUsage usage();
}
