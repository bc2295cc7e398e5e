package dev.aigis.server.proxy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.openai.OpenAiResponseInspector;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeoutException;

/**
 * Relays a non-streamed upstream body chunk by chunk with backpressure. For successful model
 * calls it keeps a copy, up to {@link #USAGE_CAPTURE_LIMIT}, to read token usage at the end; a
 * larger body is still relayed, only its usage goes unrecorded.
 */
final class BodyRelay {

  static final int USAGE_CAPTURE_LIMIT = 4 * 1024 * 1024;

  private final Exchange exchange;
  private final HttpClientResponse upstream;
  private final HttpServerResponse response;
  private final ExchangeCompletion completion;
  private Buffer captured;

  BodyRelay(Exchange exchange, HttpClientResponse upstream, HttpServerResponse response, ExchangeCompletion completion) {
    this.exchange = exchange;
    this.upstream = upstream;
    this.response = response;
    this.completion = completion;
  }

  void start() {
    if (response.headers().get(HttpHeaders.CONTENT_LENGTH) == null) {
      response.setChunked(true);
    }
    if (exchange.endpoint.requiresModel() && upstream.statusCode() / 100 == 2) {
      captured = Buffer.buffer(1024);
    }
    upstream.handler(chunk -> {
      if (exchange.finished()) {
        return;
      }
      exchange.bytesOut += chunk.length();
      if (captured != null) {
        if (captured.length() + chunk.length() <= USAGE_CAPTURE_LIMIT) {
          captured.appendBuffer(chunk);
        } else {
          captured = null;
        }
      }
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
      if (captured != null) {
        exchange.usage = OpenAiResponseInspector.body(captured.getBytes(), captured.length());
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
