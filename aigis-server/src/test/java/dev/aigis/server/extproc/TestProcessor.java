package dev.aigis.server.extproc;

import dev.aigis.core.processing.ChunkVerdict;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.ResponseChunk;
import dev.aigis.core.processing.Verdict;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/** A processor whose stages are lambdas; counts the exchange states it opened and closed. */
final class TestProcessor implements Processor {

  private final ProcessorNeeds needs;
  Function<ProcessedRequest, CompletionStage<Verdict>> requestHeaders = r -> done(Verdict.CONTINUE);
  Function<ProcessedResponse, CompletionStage<Verdict>> responseHeaders = r -> done(Verdict.CONTINUE);
  Function<ResponseChunk, CompletionStage<ChunkVerdict>> chunks = c -> done(ChunkVerdict.pass(c));
  /** Sees the response with each chunk (for its usage); by default hands the chunk to {@link #chunks}. */
  BiFunction<ProcessedResponse, ResponseChunk, CompletionStage<ChunkVerdict>> responseChunks = (r, c) -> chunks.apply(c);
  final AtomicInteger statesOpened = new AtomicInteger();
  final CountDownLatch stateClosed = new CountDownLatch(1);

  TestProcessor(ProcessorNeeds needs) {
    this.needs = needs;
  }

  static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  @Override
  public ProcessorNeeds needs() {
    return needs;
  }

  @Override
  public ExchangeState newState() {
    statesOpened.incrementAndGet();
    return stateClosed::countDown;
  }

  @Override
  public CompletionStage<Verdict> onRequestHeaders(ProcessedRequest request, ExchangeState state) {
    return requestHeaders.apply(request);
  }

  @Override
  public CompletionStage<Verdict> onResponseHeaders(ProcessedRequest request, ProcessedResponse response,
      ExchangeState state) {
    return responseHeaders.apply(response);
  }

  @Override
  public CompletionStage<ChunkVerdict> onResponseChunk(ProcessedRequest request, ProcessedResponse response,
      ResponseChunk chunk, ExchangeState state) {
    return responseChunks.apply(response, chunk);
  }
}
