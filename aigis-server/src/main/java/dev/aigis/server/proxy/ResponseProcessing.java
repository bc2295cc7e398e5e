package dev.aigis.server.proxy;

import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ChunkOutcome;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.ResponseChunk;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The response side of an exchange's chains. Chains see the response in the reverse of the order
 * they saw the request (as Envoy filters and Vert.x interceptors do): the last chain to touch the
 * request is the first to touch the response. A chunk one chain emits is fed to the next; an
 * end-of-stream reaches every chain, even one that received no bytes for it.
 */
final class ResponseProcessing {

  private final List<Exchange.StartedChain> chains;
  private final boolean headers;
  private final boolean bufferBody;

  private ResponseProcessing(List<Exchange.StartedChain> chains) {
    this.chains = chains;
    boolean anyHeaders = false;
    boolean anyBuffered = false;
    for (Exchange.StartedChain chain : chains) {
      ProcessorNeeds needs = chain.chain().needs();
      anyHeaders |= needs.responseHeaders();
      anyBuffered |= needs.responseBody() == BodyMode.BUFFERED;
    }
    this.headers = anyHeaders;
    this.bufferBody = anyBuffered;
  }

  /** The response processing an exchange needs, or null when no chain of it looks at responses. */
  static ResponseProcessing of(Exchange exchange) {
    List<Exchange.StartedChain> wanted = new ArrayList<>();
    for (int i = exchange.chains.size() - 1; i >= 0; i--) {
      Exchange.StartedChain chain = exchange.chains.get(i);
      ProcessorNeeds needs = chain.chain().needs();
      if (needs.responseHeaders() || needs.responseBody() != BodyMode.NONE) {
        wanted.add(chain);
      }
    }
    return wanted.isEmpty() ? null : new ResponseProcessing(wanted);
  }

  /** Whether some chain runs a response-header stage. */
  boolean runsHeaders() {
    return headers;
  }

  /** Whether a non-SSE body must be collected whole before the chains see it. */
  boolean buffersBody() {
    return bufferBody;
  }

  /** Runs the response-header stages chain by chain; the first non-Proceed outcome wins. */
  CompletionStage<ChainOutcome> headers(Exchange exchange, ProcessedResponse response) {
    if (!headers) {
      return CompletableFuture.completedFuture(ChainOutcome.PROCEED);
    }
    return headersFrom(exchange, response, 0);
  }

  private CompletionStage<ChainOutcome> headersFrom(Exchange exchange, ProcessedResponse response, int index) {
    if (index == chains.size()) {
      return CompletableFuture.completedFuture(ChainOutcome.PROCEED);
    }
    return chains.get(index).run().responseHeaders(exchange.processed, response).thenCompose(outcome ->
        outcome instanceof ChainOutcome.Proceed ? headersFrom(exchange, response, index + 1)
            : CompletableFuture.completedFuture(outcome));
  }

  /** Pipes one chunk through every chain; the result is what to write now, or how to end. */
  CompletionStage<ChunkOutcome> chunk(Exchange exchange, ProcessedResponse response, ResponseChunk chunk) {
    return through(exchange, response, 0, List.of(chunk.bytes()), chunk.sseEvent(), chunk.endOfStream());
  }

  private CompletionStage<ChunkOutcome> through(Exchange exchange, ProcessedResponse response, int index,
      List<byte[]> inputs, boolean sse, boolean endOfStream) {
    if (index == chains.size()) {
      return CompletableFuture.completedFuture(new ChunkOutcome.Write(inputs));
    }
    var outputs = new ArrayList<byte[]>();
    // Each input goes in as a chunk of its own; the end of stream travels as a final empty chunk so
    // that a chain receives it even when the chain before emitted nothing.
    var pieces = new ArrayList<ResponseChunk>(inputs.size() + 1);
    for (byte[] input : inputs) {
      if (input.length > 0) {
        pieces.add(new ResponseChunk(input, sse, false));
      }
    }
    if (endOfStream) {
      pieces.add(new ResponseChunk(new byte[0], sse, true));
    }
    return feed(exchange, response, index, pieces, 0, outputs).thenCompose(end -> end != null
        ? CompletableFuture.completedFuture((ChunkOutcome) new ChunkOutcome.End(concat(outputs, end.finalBytes())))
        : through(exchange, response, index + 1, outputs, sse, endOfStream));
  }

  /** Feeds pieces to one chain in order; completes with null, or with the End that stopped the stream. */
  private CompletionStage<ChunkOutcome.End> feed(Exchange exchange, ProcessedResponse response, int index,
      List<ResponseChunk> pieces, int next, List<byte[]> outputs) {
    if (next == pieces.size()) {
      return CompletableFuture.completedFuture(null);
    }
    return chains.get(index).run().responseChunk(exchange.processed, response, pieces.get(next)).thenCompose(outcome ->
        switch (outcome) {
          case ChunkOutcome.Write write -> {
            outputs.addAll(write.chunks());
            yield feed(exchange, response, index, pieces, next + 1, outputs);
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
