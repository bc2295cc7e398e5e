package dev.aigis.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.OpenAiUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeoutException;

/**
 * One translated stream: upstream bytes in the backend's framing become pivot chunks, which leave
 * as events in the client's format as soon as each is complete. The upstream is paused while the
 * client's write queue is full. A provider error inside the stream, a broken frame or a stream that
 * ends early ends the client's stream with an error event in its own format.
 */
final class TranslatedStream {

  private final Exchange exchange;
  private final HttpClientResponse upstream;
  private final InboundCodec codec;
  private final BackendTranslator translator;
  private final ExchangeCompletion completion;
  private final HttpServerResponse response;
  /** The response processors events go through, or null when none look at responses. */
  private final ProcessedBodyWriter processors;

  TranslatedStream(Exchange exchange, HttpClientResponse upstream, InboundCodec codec, BackendTranslator translator,
      ExchangeCompletion completion, ProcessedBodyWriter processors) {
    this.processors = processors;
    this.exchange = exchange;
    this.upstream = upstream;
    this.codec = codec;
    this.translator = translator;
    this.completion = completion;
    this.response = exchange.request.response();
  }

  void start() {
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("x-request-id", exchange.requestId);
    completion.decorate(exchange, response);
    upstream.handler(bytes -> {
      if (exchange.finished()) {
        return;
      }
      try {
        translator.streamBytes(bytes.getBytes(), this::onChunk);
      } catch (TranslationException e) {
        fail(e.error());
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
      try {
        translator.streamEnd(this::onChunk);
      } catch (TranslationException e) {
        fail(e.error());
        return;
      }
      exchange.usage = translator.usage();
      codec.pivotEnd(this::write);
      if (processors != null) {
        processors.finish();
        return;
      }
      response.end();
      completion.succeeded(exchange);
    });
    upstream.exceptionHandler(err -> {
      if (!exchange.finished()) {
        fail(err instanceof TimeoutException
            ? new GatewayError.UpstreamTimeout(exchange.backendName(), exchange.backend.backend().timeouts().idle().toMillis())
            : new GatewayError.UpstreamProtocolError(exchange.backendName(), "connection lost mid-stream"));
      }
    });
  }

  private void onChunk(ObjectNode chunk) {
    JsonNode choices = chunk.path("choices");
    boolean usageOnly = chunk.has("usage") && !chunk.path("usage").isNull() && choices.isArray() && choices.isEmpty();
    if (usageOnly) {
      exchange.usage = OpenAiUsage.from(chunk.path("usage"));
      // An OpenAI client sees the usage chunk only when it asked for it; other codecs use it for their own events.
      if (codec.api() == dev.aigis.core.provider.InboundApi.OpenAI && !exchange.body.clientAskedForUsage()) {
        return;
      }
    }
    codec.pivotChunk(chunk, this::write);
  }

  private void write(byte[] event) {
    if (processors != null) {
      processors.offer(event);
      return;
    }
    if (exchange.ttftNanos < 0) {
      exchange.ttftNanos = System.nanoTime() - exchange.startNanos;
    }
    exchange.bytesOut += event.length;
    response.write(Buffer.buffer(event));
  }

  /** Error first, then reset: the reset calls the exception handler, which must find the exchange done. */
  private void fail(GatewayError error) {
    completion.fail(exchange, error);
    if (exchange.upstream != null) {
      exchange.upstream.reset();
    }
  }
}
