package dev.aigis.server.proxy;

import dev.aigis.core.api.GatewayError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeoutException;

/**
 * Relays a non-streamed upstream body chunk by chunk with backpressure. For successful model
 * calls it keeps the last {@link UsageTail#CAPACITY} bytes, where OpenAI puts {@code usage}, to
 * read token usage at the end without copying or parsing the whole answer.
 */
final class BodyRelay {

  /** Bounds a body collected for processors that need it whole (DESIGN: buffering is declared and capped). */
  static final int MAX_PROCESSED_BODY = 8 * 1024 * 1024;

  private final Exchange exchange;
  private final HttpClientResponse upstream;
  private final HttpServerResponse response;
  private final ExchangeCompletion completion;
  private UsageTail usageTail;
  private final ProcessedBodyWriter processors;
  /** The body collected for processors that need it whole; null otherwise. */
  private final Buffer whole;

  /**
   * @param processors the response processors the body goes through, or null when there are none
   * @param wholeBody whether the processors need the body whole (one chunk) rather than chunk by chunk
   */
  BodyRelay(Exchange exchange, HttpClientResponse upstream, HttpServerResponse response, ExchangeCompletion completion,
      ProcessedBodyWriter processors, boolean wholeBody) {
    this.exchange = exchange;
    this.upstream = upstream;
    this.response = response;
    this.completion = completion;
    this.processors = processors;
    this.whole = wholeBody ? Buffer.buffer() : null;
  }

  void start() {
    if (processors != null) {
      response.headers().remove(HttpHeaders.CONTENT_LENGTH); // processors may change the body
    }
    if (response.headers().get(HttpHeaders.CONTENT_LENGTH) == null) {
      response.setChunked(true);
    }
    if (exchange.endpoint.requiresModel() && upstream.statusCode() / 100 == 2) {
      usageTail = new UsageTail();
    }
    upstream.handler(chunk -> {
      if (exchange.finished()) {
        return;
      }
      if (usageTail != null) {
        usageTail.append(chunk);
      }
      if (processors != null) {
        if (whole != null) {
          if (whole.length() + chunk.length() > MAX_PROCESSED_BODY) {
            completion.fail(exchange, new GatewayError.UpstreamProtocolError(exchange.backendName(),
                "response body exceeds the " + MAX_PROCESSED_BODY + " bytes response processors can buffer"));
            exchange.upstream.reset();
            return;
          }
          whole.appendBuffer(chunk);
        } else {
          processors.offer(chunk.getBytes());
        }
        return;
      }
      exchange.bytesOut += chunk.length();
      response.write(chunk);
      if (response.writeQueueFull()) {
        upstream.pause();
        response.drainHandler(v -> upstream.resume());
      }
    });
    upstream.endHandler(v -> {
      if (exchange.finished()) {
        return;
      }
      if (usageTail != null) {
        exchange.usage = usageTail.usage();
      }
      if (processors != null) {
        if (whole != null) {
          processors.offer(whole.getBytes());
        }
        processors.finish();
        return;
      }
      response.end();
      completion.succeeded(exchange);
    });
    upstream.exceptionHandler(err -> {
      GatewayError error = err instanceof TimeoutException
          ? new GatewayError.UpstreamTimeout(exchange.backendName(), exchange.backend.backend().timeouts().idle().toMillis())
          : new GatewayError.UpstreamProtocolError(exchange.backendName(), "connection lost mid-body");
      if (response.headWritten()) {
        // A partly written body cannot be turned into an error; cut it so the client sees the failure.
        exchange.errorCode = error.code();
        completion.abort(exchange, 502, error.code());
      } else {
        completion.fail(exchange, error);
      }
    });
  }
}
