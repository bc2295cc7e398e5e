package dev.aigis.server.extproc;

import dev.aigis.core.processing.ChainExchange;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ChunkOutcome;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.ResponseChunk;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One HTTP exchange through a Gateway's chains, composed like interceptors: the request goes
 * through PreRouting then PostRouting (the second only if the first proceeds); the response head
 * and body go back through them in reverse. What the inner chain emits for a chunk is fed to the
 * outer one chunk by chunk, keeping order and passing end of stream on with the last. An
 * {@code End} from the inner chain ends the stream as it is: the outer chain does not see the
 * final bytes.
 *
 * <p>Threading: as {@link ChainExchange}, calls come from the stream's serial executor one at a
 * time; continuations run there too, since every chain completes its passes on it.
 */
final class GatewayExchange implements AutoCloseable {

  private static final byte[] EMPTY = new byte[0];
  private static final CompletableFuture<ChainOutcome> PROCEED = CompletableFuture.completedFuture(ChainOutcome.PROCEED);

  private final ChainExchange[] exchanges;

  GatewayExchange(ChainExchange[] exchanges) {
    this.exchanges = exchanges;
  }

  CompletionStage<ChainOutcome> request(ProcessedRequest request) {
    return requestFrom(0, request);
  }

  private CompletionStage<ChainOutcome> requestFrom(int i, ProcessedRequest request) {
    if (i == exchanges.length) {
      return PROCEED;
    }
    return exchanges[i].request(request)
        .thenCompose(o -> o instanceof ChainOutcome.Proceed ? requestFrom(i + 1, request) : CompletableFuture.completedFuture(o));
  }

  CompletionStage<ChainOutcome> responseHeaders(ProcessedRequest request, ProcessedResponse response) {
    return responseHeadersFrom(exchanges.length - 1, request, response);
  }

  private CompletionStage<ChainOutcome> responseHeadersFrom(int i, ProcessedRequest request, ProcessedResponse response) {
    if (i < 0) {
      return PROCEED;
    }
    return exchanges[i].responseHeaders(request, response).thenCompose(o -> o instanceof ChainOutcome.Proceed
        ? responseHeadersFrom(i - 1, request, response) : CompletableFuture.completedFuture(o));
  }

  CompletionStage<ChunkOutcome> responseChunk(ProcessedRequest request, ProcessedResponse response, ResponseChunk chunk) {
    return chunkThrough(exchanges.length - 1, request, response, chunk);
  }

  private CompletionStage<ChunkOutcome> chunkThrough(int i, ProcessedRequest request, ProcessedResponse response,
      ResponseChunk chunk) {
    if (i < 0) {
      return CompletableFuture.completedFuture(
          new ChunkOutcome.Write(chunk.bytes().length == 0 ? List.of() : List.of(chunk.bytes())));
    }
    return exchanges[i].responseChunk(request, response, chunk).thenCompose(outcome -> switch (outcome) {
      case ChunkOutcome.End end -> CompletableFuture.completedFuture(end);
      case ChunkOutcome.Write write -> {
        if (i == 0) {
          yield CompletableFuture.completedFuture(write);
        }
        List<ResponseChunk> next = new ArrayList<>(write.chunks().size() + 1);
        int last = write.chunks().size() - 1;
        for (int k = 0; k <= last; k++) {
          next.add(new ResponseChunk(write.chunks().get(k), chunk.sseEvent(), chunk.endOfStream() && k == last));
        }
        if (next.isEmpty() && chunk.endOfStream()) {
          next.add(new ResponseChunk(EMPTY, chunk.sseEvent(), true));
        }
        yield feed(i - 1, request, response, next, 0, new ArrayList<>());
      }
    });
  }

  /** Feeds {@code chunks} from index {@code k} to chain {@code i}, one after the other, collecting what comes out. */
  private CompletionStage<ChunkOutcome> feed(int i, ProcessedRequest request, ProcessedResponse response,
      List<ResponseChunk> chunks, int k, List<byte[]> out) {
    if (k == chunks.size()) {
      return CompletableFuture.completedFuture(new ChunkOutcome.Write(out));
    }
    return chunkThrough(i, request, response, chunks.get(k)).thenCompose(outcome -> switch (outcome) {
      case ChunkOutcome.End end -> {
        var all = new ByteArrayOutputStream();
        out.forEach(all::writeBytes);
        all.writeBytes(end.finalBytes());
        yield CompletableFuture.completedFuture(new ChunkOutcome.End(all.toByteArray()));
      }
      case ChunkOutcome.Write write -> {
        out.addAll(write.chunks());
        yield feed(i, request, response, chunks, k + 1, out);
      }
    });
  }

  /** Names of the processors that ran, in request order. */
  List<String> ran() {
    List<String> names = new ArrayList<>();
    for (ChainExchange exchange : exchanges) {
      names.addAll(exchange.ran());
    }
    return names;
  }

  /** Closes every chain's exchange states; idempotent. */
  @Override
  public void close() {
    for (ChainExchange exchange : exchanges) {
      exchange.close();
    }
  }
}
