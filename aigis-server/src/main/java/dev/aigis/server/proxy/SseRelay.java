package dev.aigis.server.proxy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.openai.OpenAiResponseInspector;
import dev.aigis.core.openai.StreamChunk;
import dev.aigis.core.sse.SseDecoder;
import dev.aigis.core.sse.SseEvent;
import dev.aigis.core.sse.SseException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Relays an OpenAI SSE stream event by event. Each event is written as soon as it is complete, so
 * the client sees tokens as they arrive; the upstream is paused while the client's write queue is
 * full, so a slow client holds at most one queue of events in memory. It reads usage from the
 * chunks, drops the usage-only chunk when the gateway (not the client) asked for it, and turns a
 * malformed or truncated stream into an OpenAI error event the SDKs raise.
 */
final class SseRelay {

  /** One event larger than this is not a chat chunk; refusing it bounds memory per stream. */
  private static final int MAX_EVENT_BYTES = 1024 * 1024;

  private final Exchange exchange;
  private final HttpClientResponse upstream;
  private final HttpServerResponse response;
  private final ExchangeCompletion completion;
  private final SseDecoder decoder;
  private final ProcessedBodyWriter processors;
  private boolean sawDone;

  /** @param processors the response processors the events go through, or null when there are none */
  SseRelay(Exchange exchange, HttpClientResponse upstream, HttpServerResponse response, ExchangeCompletion completion,
      ProcessedBodyWriter processors) {
    this.exchange = exchange;
    this.upstream = upstream;
    this.response = response;
    this.completion = completion;
    this.processors = processors;
    this.decoder = new SseDecoder(this::onEvent, MAX_EVENT_BYTES);
  }

  void start() {
    response.headers().remove(HttpHeaders.CONTENT_LENGTH);
    response.setChunked(true);
    upstream.handler(chunk -> {
      if (exchange.finished()) {
        return;
      }
      try {
        decoder.feed(chunk.getBytes());
      } catch (SseException e) {
        broken(e.getMessage());
        return;
      }
      if (!exchange.finished() && response.writeQueueFull()) {
        upstream.pause();
        response.drainHandler(v -> upstream.resume());
      }
    });
    upstream.endHandler(v -> {
      if (exchange.finished()) {
        return;
      }
      if (!sawDone) {
        broken("stream ended before [DONE]");
        return;
      }
      if (processors != null) {
        processors.finish();
        return;
      }
      response.end();
      completion.succeeded(exchange);
    });
    upstream.exceptionHandler(err -> {
      if (exchange.finished()) {
        return;
      }
      if (err instanceof TimeoutException) {
        completion.fail(exchange,
            new GatewayError.UpstreamTimeout(exchange.backendName(), exchange.backend.backend().timeouts().idle().toMillis()));
      } else {
        broken("connection lost mid-stream");
      }
    });
  }

  private void onEvent(SseEvent event) {
    if (exchange.finished()) {
      return;
    }
    if (event.data() == null || event.isDone()) {
      sawDone |= event.isDone();
      pass(event.raw());
      return;
    }
    StreamChunk chunk;
    try {
      chunk = OpenAiResponseInspector.chunk(event.data());
    } catch (IOException e) {
      broken("malformed stream chunk");
      return;
    }
    if (chunk.usage() != null) {
      exchange.usage = chunk.usage();
    }
    if (chunk.usageOnly() && exchange.injectedUsage) {
      return; // the client did not ask for this chunk; the gateway did, to count tokens
    }
    pass(event.raw());
  }

  /** Hands an event to the response processors, or straight to the client when there are none. */
  private void pass(byte[] raw) {
    if (processors != null) {
      processors.offer(raw);
      return;
    }
    if (exchange.ttftNanos < 0) {
      exchange.ttftNanos = System.nanoTime() - exchange.startNanos;
    }
    write(raw);
  }

  private void write(byte[] bytes) {
    exchange.bytesOut += bytes.length;
    response.write(Buffer.buffer(bytes));
  }

  private void broken(String detail) {
    // Fail first: resetting the upstream calls its exception handler synchronously, which must
    // find the exchange already finished rather than report a second, misleading cause.
    completion.fail(exchange, new GatewayError.UpstreamProtocolError(exchange.backendName(), detail));
    if (exchange.upstream != null) {
      exchange.upstream.reset();
    }
  }
}
