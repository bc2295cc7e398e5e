package dev.aigis.server.proxy;

import dev.aigis.core.api.GatewayError;
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

  private final Exchange exchange;
  private final HttpClientResponse upstream;
  private final HttpServerResponse response;
  private final ExchangeCompletion completion;
  private UsageTail usageTail;

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
      usageTail = new UsageTail();
    }
    upstream.handler(chunk -> {
      if (exchange.finished()) {
        return;
      }
      exchange.bytesOut += chunk.length();
      if (usageTail != null) {
        usageTail.append(chunk);
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
      if (usageTail != null) {
        exchange.usage = usageTail.usage();
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
