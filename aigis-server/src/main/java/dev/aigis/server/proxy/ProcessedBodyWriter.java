package dev.aigis.server.proxy;

import dev.aigis.core.processing.ChunkOutcome;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.ResponseChunk;
import dev.aigis.core.api.GatewayError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * Writes a response body through the response processors, one chunk at a time and in order. While
 * a chunk is with the processors (they may answer asynchronously) later chunks queue and the
 * upstream is paused, so a slow processor pushes back on the upstream just as a slow client does.
 * Runs on the exchange's event loop. {@code upstream} is null for answers made in the gateway.
 */
final class ProcessedBodyWriter {

  private final Exchange exchange;
  private final ResponseProcessing processing;
  private final ProcessedResponse processedResponse;
  private final HttpServerResponse response;
  private final ReadStream<?> upstream;
  private final ExchangeCompletion completion;
  private final boolean sse;
  private final ArrayDeque<ResponseChunk> queue = new ArrayDeque<>();
  private boolean busy;
  private boolean ended;

  ProcessedBodyWriter(Exchange exchange, ResponseProcessing processing, ProcessedResponse processedResponse,
      HttpServerResponse response, ReadStream<?> upstream, ExchangeCompletion completion, boolean sse) {
    this.exchange = exchange;
    this.processing = processing;
    this.processedResponse = processedResponse;
    this.response = response;
    this.upstream = upstream;
    this.completion = completion;
    this.sse = sse;
  }

  void offer(byte[] bytes) {
    enqueue(new ResponseChunk(bytes, sse, false));
  }

  /** The upstream ended: the end of stream goes through the processors, then the response ends. */
  void finish() {
    enqueue(new ResponseChunk(new byte[0], sse, true));
  }

  private void enqueue(ResponseChunk chunk) {
    if (ended || exchange.finished()) {
      return;
    }
    queue.add(chunk);
    if (busy) {
      if (upstream != null) {
        upstream.pause();
      }
      return;
    }
    drain();
  }

  private void drain() {
    ResponseChunk next = queue.poll();
    if (next == null) {
      busy = false;
      if (upstream != null && !response.writeQueueFull()) {
        upstream.resume();
      }
      return;
    }
    busy = true;
    processedResponse.setUsage(exchange.usage);
    processing.chunk(exchange, processedResponse, next).whenComplete((outcome, failure) -> {
      if (exchange.finished() || ended) {
        return;
      }
      if (failure != null) {
        end(null, new GatewayError.Internal("Internal gateway error; request id " + exchange.requestId));
        return;
      }
      switch (outcome) {
        case ChunkOutcome.Write write -> {
          write.chunks().forEach(this::write);
          if (next.endOfStream()) {
            end(null, null);
            return;
          }
        }
        case ChunkOutcome.End end -> {
          end(end.finalBytes(), null);
          return;
        }
      }
      drain();
    });
  }

  private void write(byte[] bytes) {
    if (bytes.length == 0) {
      return;
    }
    if (exchange.ttftNanos < 0) {
      exchange.ttftNanos = System.nanoTime() - exchange.startNanos;
    }
    exchange.bytesOut += bytes.length;
    response.write(Buffer.buffer(bytes));
  }

  private void end(byte[] finalBytes, GatewayError error) {
    ended = true;
    queue.clear();
    if (error != null) {
      completion.fail(exchange, error);
    } else {
      if (finalBytes != null) {
        write(finalBytes);
        exchange.errorCode = "processor_ended_stream";
      }
      response.end();
      completion.succeeded(exchange);
    }
    if (exchange.upstream != null && finalBytes != null) {
      exchange.upstream.reset(); // the rest of the upstream answer is not wanted
    }
  }
}
