package dev.aigis.core.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.usage.TokenUsage;
import java.util.List;

/**
 * Translates one non-streamed JSON exchange (embeddings, rerank) to a backend's API and back: one
 * or more upstream calls, sent in order, whose answers come back in the same order and make one
 * answer in the client's format. Created per request; not thread-safe.
 */
public interface CallsTranslator {

  /** The upstream calls (at least one) for the client's request. */
  List<UpstreamCall> request(ObjectNode clientRequest, BackendCall call) throws TranslationException;

  /** The 2xx answers, one per call and in order, as the client's answer. */
  ObjectNode response(List<byte[]> bodies) throws TranslationException;

  /** A non-2xx upstream answer as a gateway error. */
  GatewayError upstreamError(int status, byte[] body);

  /** Usage after the answer, or null. */
  TokenUsage usage();
}
