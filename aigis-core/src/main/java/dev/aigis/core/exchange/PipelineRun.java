package dev.aigis.core.exchange;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ChainExchange;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ChunkOutcome;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.ProcessingObserver;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.ResponseChunk;
import dev.aigis.core.processing.Scheduler;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * One exchange through an {@link ExchangePipeline}. The request runs the stages forward: the
 * pre-routing stages, the routing barrier, then the matched rule's stages; the response runs the
 * chains that were started backwards, as Envoy filters and Vert.x interceptors do: the last chain
 * to touch the request is the first to touch the response. Within a chain, processors keep list
 * order (see {@link ChainExchange}).
 *
 * <p>Threading: calls come from the exchange's executor, one at a time, each after the previous
 * one completed; every continuation runs there too.
 */
public final class PipelineRun implements AutoCloseable {

  private static final CompletableFuture<ChainOutcome> PROCEED = CompletableFuture.completedFuture(ChainOutcome.PROCEED);
  private static final byte[] EMPTY = new byte[0];

  private final ExchangePipeline pipeline;
  private final ExchangeContext context;
  private final Executor executor;
  private final Scheduler scheduler;
  private final ProcessingObserver observer;
  private final List<Started> started = new ArrayList<>(4);
  /** The started chains that look at responses, in response order; built on first use. */
  private List<Started> responders;

  private record Started(Stage stage, ChainExchange run) {}

  PipelineRun(ExchangePipeline pipeline, ExchangeContext context, Executor executor, Scheduler scheduler,
      ProcessingObserver observer) {
    this.pipeline = pipeline;
    this.context = context;
    this.executor = executor;
    this.scheduler = scheduler;
    this.observer = observer == null ? ProcessingObserver.NONE : observer;
  }

  public ExchangeContext context() {
    return context;
  }

  /**
   * Runs the request stages. Proceed means the request (as the processors left it) may go to its
   * backend, which the barrier recorded on the context.
   */
  public CompletionStage<ChainOutcome> request(ProcessedRequest request, RoutingBarrier barrier) {
    return new RequestPass(request, barrier).drive();
  }

  /** Runs the response-header stages of the started chains, backwards; the first non-Proceed outcome wins. */
  public CompletionStage<ChainOutcome> responseHeaders(ProcessedResponse response) {
    List<Started> chains = responders();
    if (!wantsResponseHeaders()) {
      return PROCEED;
    }
    return headersFrom(chains, 0, response);
  }

  /**
   * The response-header stages of the started built-in chains only (the route's
   * ResponseHeaderModifier), for a gateway error answered after routing: Gateway API applies the
   * filter to every response of the route. Built-in stages complete synchronously.
   */
  public void builtinResponseHeaders(ProcessedResponse response) {
    for (Started s : responders()) {
      if (s.stage().builtin() && s.stage().chain().needs().responseHeaders()) {
        s.run().responseHeaders(context.request(), response);
      }
    }
  }

  /** Whether a started chain runs a response-header stage. */
  public boolean wantsResponseHeaders() {
    for (Started s : responders()) {
      if (s.stage().chain().needs().responseHeaders()) {
        return true;
      }
    }
    return false;
  }

  /** The most demanding response-body mode of the started chains (BUFFERED over STREAMED over NONE). */
  public BodyMode responseBody() {
    BodyMode mode = BodyMode.NONE;
    for (Started s : responders()) {
      BodyMode m = s.stage().chain().needs().responseBody();
      if (m == BodyMode.BUFFERED) {
        return m;
      }
      if (m == BodyMode.STREAMED) {
        mode = m;
      }
    }
    return mode;
  }

  /** Whether any started chain looks at the response at all. */
  public boolean processesResponse() {
    return !responders().isEmpty();
  }

  /**
   * Passes one response chunk through the started chains, backwards: what one chain emits is fed
   * chunk by chunk to the next, the end-of-stream mark riding on the last of them (or on an empty
   * chunk when a chain emitted nothing), so every chain sees the end of the stream. A whole body
   * arrives as one chunk marked end of stream. The outcome is what to write now.
   */
  public CompletionStage<ChunkOutcome> responseChunk(ProcessedResponse response, ResponseChunk chunk) {
    List<Started> chains = responders();
    if (chains.isEmpty()) {
      return CompletableFuture.completedFuture(
          new ChunkOutcome.Write(chunk.bytes().length == 0 ? List.of() : List.of(chunk.bytes())));
    }
    return through(chains, 0, response, List.of(chunk), chunk.sseEvent(), chunk.endOfStream());
  }

  /** {@code chain/processor} of every configured processor that ran so far, in request order (debug header). */
  public String processorsThatRan() {
    var names = new StringBuilder();
    for (Started s : started) {
      if (s.stage().builtin()) {
        continue;
      }
      for (String processor : s.run().ran()) {
        if (!names.isEmpty()) {
          names.append(',');
        }
        names.append(s.stage().chain().name()).append('/').append(processor);
      }
    }
    return names.toString();
  }

  /** Whether any configured (not built-in) chain was started. */
  public boolean ranConfiguredChains() {
    for (Started s : started) {
      if (!s.stage().builtin()) {
        return true;
      }
    }
    return false;
  }

  /** Releases every chain's per-exchange resources (ext_proc streams); idempotent. */
  @Override
  public void close() {
    for (Started s : started) {
      s.run().close();
    }
  }

  // ---- request ----

  /** Walks the stage lists; synchronous outcomes loop inline, asynchronous ones resume here. */
  private final class RequestPass {
    final ProcessedRequest request;
    final RoutingBarrier barrier;
    final CompletableFuture<ChainOutcome> result = new CompletableFuture<>();
    List<Stage> stages;
    boolean routed;
    int index;

    RequestPass(ProcessedRequest request, RoutingBarrier barrier) {
      this.request = request;
      this.barrier = barrier;
      this.stages = pipeline.preRouting();
    }

    CompletionStage<ChainOutcome> drive() {
      while (true) {
        if (index == stages.size()) {
          if (routed) {
            result.complete(ChainOutcome.PROCEED);
            return result;
          }
          routed = true;
          GatewayError refused = barrier.route(request);
          if (refused != null) {
            result.complete(new ChainOutcome.Fail(refused));
            return result;
          }
          stages = context.route() == null ? pipeline.unrouted() : pipeline.afterRouting(context.route());
          index = 0;
          continue;
        }
        Stage stage = stages.get(index++);
        if (stage.unresolved() != null) {
          result.complete(new ChainOutcome.Fail(new GatewayError.UnresolvedExtension(stage.unresolved())));
          return result;
        }
        ChainExchange run = startChain(stage);
        CompletionStage<ChainOutcome> pending = run.request(request);
        if (pending instanceof CompletableFuture<ChainOutcome> f && f.isDone() && !f.isCompletedExceptionally()) {
          ChainOutcome outcome = f.getNow(null);
          if (!(outcome instanceof ChainOutcome.Proceed)) {
            result.complete(outcome);
            return result;
          }
          continue;
        }
        pending.whenComplete((outcome, failure) -> {
          if (failure != null) {
            result.completeExceptionally(failure);
          } else if (!(outcome instanceof ChainOutcome.Proceed)) {
            result.complete(outcome);
          } else {
            drive();
          }
        });
        return result;
      }
    }
  }

  private ChainExchange startChain(Stage stage) {
    ChainExchange run = stage.chain().start(executor, scheduler, stage.builtin() ? ProcessingObserver.NONE : observer);
    started.add(new Started(stage, run));
    responders = null;
    return run;
  }

  // ---- response ----

  private List<Started> responders() {
    if (responders == null) {
      List<Started> wanted = new ArrayList<>(started.size());
      for (int i = started.size() - 1; i >= 0; i--) {
        ProcessorNeeds needs = started.get(i).stage().chain().needs();
        if (needs.responseHeaders() || needs.responseBody() != BodyMode.NONE) {
          wanted.add(started.get(i));
        }
      }
      responders = wanted;
    }
    return responders;
  }

  private CompletionStage<ChainOutcome> headersFrom(List<Started> chains, int index, ProcessedResponse response) {
    if (index == chains.size()) {
      return PROCEED;
    }
    return chains.get(index).run().responseHeaders(context.request(), response).thenCompose(outcome ->
        outcome instanceof ChainOutcome.Proceed ? headersFrom(chains, index + 1, response)
            : CompletableFuture.completedFuture(outcome));
  }

  private CompletionStage<ChunkOutcome> through(List<Started> chains, int index, ProcessedResponse response,
      List<ResponseChunk> pieces, boolean sse, boolean endOfStream) {
    if (index == chains.size()) {
      List<byte[]> out = new ArrayList<>(pieces.size());
      for (ResponseChunk piece : pieces) {
        if (piece.bytes().length > 0) {
          out.add(piece.bytes());
        }
      }
      return CompletableFuture.completedFuture(new ChunkOutcome.Write(out));
    }
    if (!sse && pieces.size() > 1 && chains.get(index).stage().chain().needs().responseBody() == BodyMode.BUFFERED) {
      // A chain that buffers gets the whole body as one chunk, however the chain before cut it (the
      // front doors hand a BUFFERED pipeline the whole body in one call, so this call holds all of it).
      List<byte[]> parts = new ArrayList<>(pieces.size());
      pieces.forEach(piece -> parts.add(piece.bytes()));
      pieces = List.of(new ResponseChunk(concat(parts, EMPTY), false, endOfStream));
    }
    var outputs = new ArrayList<byte[]>();
    List<ResponseChunk> fed = pieces;
    return feed(chains.get(index).run(), response, fed, 0, outputs).thenCompose(end -> {
      if (end != null) {
        return CompletableFuture.completedFuture((ChunkOutcome) new ChunkOutcome.End(concat(outputs, end.finalBytes()), end.error()));
      }
      List<ResponseChunk> next = new ArrayList<>(outputs.size() + 1);
      for (byte[] bytes : outputs) {
        if (bytes.length > 0) {
          next.add(new ResponseChunk(bytes, sse, false, pivotOf(fed, bytes)));
        }
      }
      if (endOfStream) {
        if (next.isEmpty()) {
          next.add(new ResponseChunk(EMPTY, sse, true));
        } else {
          ResponseChunk last = next.removeLast();
          next.add(new ResponseChunk(last.bytes(), sse, true, last.pivot()));
        }
      }
      return through(chains, index + 1, response, next, sse, endOfStream);
    });
  }

  /** A chunk passed on unchanged keeps its decoded pivot; one a processor rewrote has none. */
  private static com.fasterxml.jackson.databind.node.ObjectNode pivotOf(List<ResponseChunk> pieces, byte[] bytes) {
    for (ResponseChunk piece : pieces) {
      if (piece.bytes() == bytes) {
        return piece.pivot();
      }
    }
    return null;
  }

  /** Feeds pieces to one chain in order; completes with null, or with the End that stopped the stream. */
  private CompletionStage<ChunkOutcome.End> feed(ChainExchange chain, ProcessedResponse response,
      List<ResponseChunk> pieces, int next, List<byte[]> outputs) {
    if (next == pieces.size()) {
      return CompletableFuture.completedFuture(null);
    }
    return chain.responseChunk(context.request(), response, pieces.get(next)).thenCompose(outcome ->
        switch (outcome) {
          case ChunkOutcome.Write write -> {
            outputs.addAll(write.chunks());
            yield feed(chain, response, pieces, next + 1, outputs);
          }
          case ChunkOutcome.End end -> CompletableFuture.completedFuture(end);
        });
  }

  private static byte[] concat(List<byte[]> first, byte[] last) {
    var out = new ByteArrayOutputStream();
    first.forEach(out::writeBytes);
    out.writeBytes(last);
    return out.toByteArray();
  }
}
