package dev.aigis.core.processing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** A processor whose stages are lambdas; records the calls it got. Public for the pipeline tests in {@code core.exchange}. */
public final class FakeProcessor implements Processor {

  public final ProcessorNeeds needs;
  public final List<String> calls = new ArrayList<>();
  public Function<ProcessedRequest, CompletionStage<Verdict>> requestHeaders = r -> done(Verdict.CONTINUE);
  public Function<ProcessedRequest, CompletionStage<Verdict>> requestBody = r -> done(Verdict.CONTINUE);
  public Function<ProcessedResponse, CompletionStage<Verdict>> responseHeaders = r -> done(Verdict.CONTINUE);
  public Function<ResponseChunk, CompletionStage<ChunkVerdict>> chunks = c -> done(ChunkVerdict.pass(c));
  public int statesCreated;
  public int statesClosed;

  public FakeProcessor(ProcessorNeeds needs) {
    this.needs = needs;
  }

  public static FakeProcessor requestSide() {
    return new FakeProcessor(new ProcessorNeeds(true, BodyMode.BUFFERED, false, BodyMode.NONE, 0));
  }

  public static FakeProcessor streaming(int holdBack) {
    return new FakeProcessor(new ProcessorNeeds(false, BodyMode.NONE, false, BodyMode.STREAMED, holdBack));
  }

  public static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  @Override
  public ProcessorNeeds needs() {
    return needs;
  }

  @Override
  public ExchangeState newState() {
    statesCreated++;
    return () -> statesClosed++;
  }

  @Override
  public CompletionStage<Verdict> onRequestHeaders(ProcessedRequest request, ExchangeState state) {
    calls.add("requestHeaders");
    return requestHeaders.apply(request);
  }

  @Override
  public CompletionStage<Verdict> onRequestBody(ProcessedRequest request, ExchangeState state) {
    calls.add("requestBody");
    return requestBody.apply(request);
  }

  @Override
  public CompletionStage<Verdict> onResponseHeaders(ProcessedRequest request, ProcessedResponse response,
      ExchangeState state) {
    calls.add("responseHeaders");
    return responseHeaders.apply(response);
  }

  @Override
  public CompletionStage<ChunkVerdict> onResponseChunk(ProcessedRequest request, ProcessedResponse response,
      ResponseChunk chunk, ExchangeState state) {
    calls.add("chunk");
    return chunks.apply(chunk);
  }
}
