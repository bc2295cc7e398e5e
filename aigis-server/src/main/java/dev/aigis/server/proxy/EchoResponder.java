package dev.aigis.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.echo.EchoModel;
import dev.aigis.core.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.time.InstantSource;

/** Serves the built-in {@code aigis-echo} model in-process, plain or streamed. */
final class EchoResponder {

  private final EchoModel model = new EchoModel(InstantSource.system());
  private final ExchangeCompletion completion;

  EchoResponder(ExchangeCompletion completion) {
    this.completion = completion;
  }

  void respond(Exchange exchange, byte[] body) {
    JsonNode request;
    try {
      request = body == null || body.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
    } catch (IOException e) {
      completion.fail(exchange, new GatewayError.InvalidRequest("Request body must be a JSON object", null));
      return;
    }
    boolean stream = exchange.body.stream();
    EchoModel.Answer answer = switch (exchange.endpoint) {
      case CHAT_COMPLETIONS -> model.chatCompletion(request, stream, exchange.body.clientAskedForUsage());
      case COMPLETIONS -> model.completion(request, stream, exchange.body.clientAskedForUsage());
      case EMBEDDINGS -> model.embeddings(request);
      default -> null;
    };
    if (answer == null) {
      completion.fail(exchange, new GatewayError.RouteNotFound(exchange.request.method().name(), exchange.request.path()));
      return;
    }
    HttpServerResponse response = exchange.request.response();
    response.putHeader("x-request-id", exchange.requestId);
    completion.decorate(exchange, response);
    switch (answer) {
      case EchoModel.Answer.Body plain -> {
        exchange.usage = plain.usage();
        exchange.bytesOut = plain.json().length;
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(plain.json()));
      }
      case EchoModel.Answer.Stream events -> {
        exchange.usage = events.usage();
        response.setChunked(true)
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        exchange.ttftNanos = System.nanoTime() - exchange.startNanos;
        for (byte[] event : events.events()) {
          exchange.bytesOut += event.length;
          response.write(Buffer.buffer(event));
        }
        response.end();
      }
    }
    completion.succeeded(exchange);
  }
}
