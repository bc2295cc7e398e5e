package dev.aigis.server.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.exchange.PipelineRun;
import dev.aigis.core.processing.ChunkOutcome;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.ResponseChunk;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * The one place response bytes reach the client, whoever produced them (an upstream, a
 * translation, the echo model, a processor's answer). Without response processors each event is
 * written as it comes; with them, each goes through the pipeline's chains backwards, one at a time
 * and in order. Either way backpressure holds: while the client's write queue is full, or an event
 * is with the processors, the source is paused, so a slow client or a slow processor pushes back
 * on the upstream and memory stays bounded.
 *
 * <p>Runs on the exchange's event loop. {@code source} is null for answers made in the gateway.
 */
final class ResponseWriter {

  private static final byte[] EMPTY = new byte[0];

  private final Exchange exchange;
  private final ExchangeCompletion completion;
  private final HttpServerResponse response;
  /** Non-null when some started chain looks at the response body. */
  private final PipelineRun processors;
  private final ProcessedResponse processed;
  private final boolean sse;
  private ReadStream<?> source;
  private ArrayDeque<ResponseChunk> queue;
  private boolean busy;
  private boolean ended;

  ResponseWriter(Exchange exchange, ExchangeCompletion completion, ProcessedResponse processed, boolean sse) {
    this.exchange = exchange;
    this.completion = completion;
    this.response = exchange.request.response();
    PipelineRun run = exchange.run;
    this.processors = run != null && run.responseBody() != dev.aigis.core.processing.BodyMode.NONE ? run : null;
    this.processed = processed;
    this.sse = sse;
  }

  /** The stream to pause while the client or the processors cannot take more. */
  ResponseWriter pausing(ReadStream<?> source) {
    this.source = source;
    return this;
  }

  boolean processes() {
    return processors != null;
  }

  /** One event (or body chunk) in the client's format; {@code pivot} its OpenAI form when known. */
  void offer(byte[] bytes, ObjectNode pivot) {
    if (ended || exchange.finished()) {
      return;
    }
    if (processors == null) {
      write(bytes);
      pushBack();
      return;
    }
    enqueue(new ResponseChunk(bytes, sse, false, pivot));
  }

  /**
   * A whole answer, known complete: processors get it as one chunk marked end of stream (what a
   * BUFFERED processor is promised), then the response ends.
   */
  void offerWhole(byte[] bytes, ObjectNode pivot) {
    if (processors == null) {
      offer(bytes, pivot);
      finish();
      return;
    }
    if (!ended && !exchange.finished()) {
      enqueue(new ResponseChunk(bytes, sse, true, pivot));
    }
  }

  /** An upstream buffer written as it is, for answers no processor looks into (see {@code ResponseDecoder#passesThrough}). */
  void write(Buffer chunk) {
    if (ended || exchange.finished()) {
      return;
    }
    exchange.bytesOut += chunk.length();
    response.write(chunk);
    pushBack();
  }

  /** While the client's write queue is full the source waits: a slow client holds one queue of data in memory. */
  private void pushBack() {
    if (source != null && response.writeQueueFull()) {
      source.pause();
      response.drainHandler(v -> {
        if (!exchange.finished()) {
          source.resume();
        }
      });
    }
  }

  /** The answer is complete: the end of stream goes through the processors, then the response ends. */
  void finish() {
    if (ended || exchange.finished()) {
      return;
    }
    if (processors == null) {
      ended = true;
      response.end();
      completion.succeeded(exchange);
      return;
    }
    enqueue(new ResponseChunk(EMPTY, sse, true));
  }

  private void enqueue(ResponseChunk chunk) {
    if (queue == null) {
      queue = new ArrayDeque<>(4);
    }
    queue.add(chunk);
    if (busy) {
      if (source != null) {
        source.pause();
      }
      return;
    }
    drain();
  }

  private void drain() {
    ResponseChunk next = queue.poll();
    if (next == null) {
      busy = false;
      if (source != null && !response.writeQueueFull()) {
        source.resume();
      }
      return;
    }
    busy = true;
    processed.setUsage(exchange.usage);
    processors.responseChunk(processed, next).whenComplete((outcome, failure) -> {
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
          if (end.error() != null && !response.headWritten()) {
            // Nothing written yet: the client gets the failure's status, not a 200 with an error body.
            ended = true;
            queue.clear();
            response.headers().remove(io.vertx.core.http.HttpHeaders.CONTENT_LENGTH);
            completion.fail(exchange, end.error());
            exchange.resetUpstream();
            return;
          }
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
    if (sse && exchange.ttftNanos < 0) { // time to first token is a streaming measure
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
    if (finalBytes != null) {
      exchange.resetUpstream(); // the rest of the upstream answer is not wanted
    }
  }
}
