package dev.aigis.core.backend;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;

/**
 * One exchange's side of a backend schema: prepares the upstream call from the request as the
 * processors left it, and decodes the answer back into the client's format with the provider's
 * usage reader. Native passthrough (same API on both sides) is an adapter like the translated
 * ones. Created per exchange (decoders hold stream state); not thread-safe.
 */
public interface BackendAdapter {

  /** The upstream call; {@code body} null means the client's body streams through untouched. */
  UpstreamCall prepare(ProcessedRequest request, BackendTarget target) throws TranslationException;

  /**
   * Whether headers that describe the client's own API ({@code anthropic-*}, {@code openai-*},
   * accept, content type) go upstream: yes when both sides speak the same API.
   */
  boolean nativeApi();

  /** Whether the upstream answer streams (the client asked for a stream and the backend serves one). */
  boolean streams();

  /** The decoder of a 2xx answer with this content type. */
  ResponseDecoder decoder(String contentType);

  /**
   * What a non-2xx answer becomes. Null means it goes to the client as it is (a native JSON error
   * is already in the client's format); otherwise the adapter reads the whole body and this error,
   * in the client's format, replaces it.
   */
  GatewayError upstreamError(int status, String contentType, byte[] body);

  /** Whether {@link #upstreamError} needs the error body (translated answers); false keeps it streaming. */
  boolean translatesErrors();
}
