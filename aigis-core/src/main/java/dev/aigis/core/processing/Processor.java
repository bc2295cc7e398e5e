package dev.aigis.core.processing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One step of the payload processing chain. The stages are named after Envoy's ext_proc
 * (request headers, request body, response headers, response body chunks and end of stream), so
 * the same processor runs in the data plane and behind the ext_proc server. Each stage may
 * complete asynchronously; a failed stage (or one that outlives its timeout) is handled by the
 * chain according to the processor's {@link FailureMode}, never by the processor itself.
 *
 * <p>Implementations are created when configuration is compiled and shared by all exchanges, so
 * they keep no per-exchange state in fields; per-exchange state goes in {@link #newState()}.
 */
public interface Processor {

  /** What this processor needs delivered; decides buffering and event parsing. */
  ProcessorNeeds needs();

  /** Per-exchange state (e.g. an ext_proc stream), created once per exchange; null if none. */
  default ExchangeState newState() {
    return null;
  }

  default CompletionStage<Verdict> onRequestHeaders(ProcessedRequest request, ExchangeState state) {
    return CompletableFuture.completedFuture(Verdict.CONTINUE);
  }

  /** Called with the whole body ({@code BUFFERED}); streamed request bodies go through {@link #onRequestBodyChunk}. */
  default CompletionStage<Verdict> onRequestBody(ProcessedRequest request, ExchangeState state) {
    return CompletableFuture.completedFuture(Verdict.CONTINUE);
  }

  /**
   * A streamed request body chunk; returns the bytes to send on in its place. {@link ChainExchange}
   * does not call it yet: request bodies reach processors only {@code BUFFERED}, and configuration
   * that asks for a streamed request body is refused when it loads.
   */
  default CompletionStage<byte[]> onRequestBodyChunk(ProcessedRequest request, byte[] chunk, boolean endOfStream,
      ExchangeState state) {
    return CompletableFuture.completedFuture(chunk);
  }

  default CompletionStage<Verdict> onResponseHeaders(ProcessedRequest request, ProcessedResponse response,
      ExchangeState state) {
    return CompletableFuture.completedFuture(Verdict.CONTINUE);
  }

  default CompletionStage<ChunkVerdict> onResponseChunk(ProcessedRequest request, ProcessedResponse response,
      ResponseChunk chunk, ExchangeState state) {
    return CompletableFuture.completedFuture(ChunkVerdict.pass(chunk));
  }

  /** Per-exchange resources a processor holds (a gRPC stream); closed when the exchange ends or the client leaves. */
  interface ExchangeState extends AutoCloseable {
    @Override
    void close();
  }
}
