package dev.aigis.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.echo.EchoModel;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.anthropic.inbound.AnthropicInboundCodec;
import dev.aigis.core.provider.anthropic.inbound.AnthropicTokenCount;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.server.processing.VertxMutableHeaders;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.time.InstantSource;

/** Serves the built-in {@code aigis-echo} model in-process, plain or streamed. */
final class EchoResponder {

  private final EchoModel model = new EchoModel(InstantSource.system());
  private final ExchangeCompletion completion;
  private final ChainRunner chains;

  EchoResponder(ExchangeCompletion completion, ChainRunner chains) {
    this.completion = completion;
    this.chains = chains;
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
    if (exchange.endpoint == ApiEndpoint.ANTHROPIC_MESSAGES) {
      anthropic(exchange, request, stream);
      return;
    }
    if (exchange.endpoint == ApiEndpoint.ANTHROPIC_COUNT_TOKENS) {
      countTokens(exchange, body);
      return;
    }
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
    ResponseProcessing processing = exchange.processed == null ? null : ResponseProcessing.of(exchange);
    if (processing != null) {
      throughProcessors(exchange, answer, response, processing);
      return;
    }
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

  /** The echo answer goes through the response processors like an upstream's would. */
  private void throughProcessors(Exchange exchange, EchoModel.Answer answer, HttpServerResponse response,
      ResponseProcessing processing) {
    boolean sse = answer instanceof EchoModel.Answer.Stream;
    response.putHeader(HttpHeaders.CONTENT_TYPE, sse ? "text/event-stream" : "application/json");
    var processedResponse = new ProcessedResponse(200, new VertxMutableHeaders(response.headers()));
    // The answer is complete before its head is written, so header processors already see its usage.
    processedResponse.setUsage(switch (answer) {
      case EchoModel.Answer.Body plain -> plain.usage();
      case EchoModel.Answer.Stream events -> events.usage();
    });
    processing.headers(exchange, processedResponse).whenComplete((outcome, failure) -> {
      if (exchange.finished()) {
        return;
      }
      switch (outcome) {
        case ChainOutcome.Proceed p when failure == null -> {
          response.setStatusCode(processedResponse.status()).setChunked(true);
          var writer = new ProcessedBodyWriter(exchange, processing, processedResponse, response, null, completion, sse);
          switch (answer) {
            case EchoModel.Answer.Body plain -> {
              exchange.usage = plain.usage();
              writer.offer(plain.json());
            }
            case EchoModel.Answer.Stream events -> {
              exchange.usage = events.usage();
              events.events().forEach(writer::offer);
            }
          }
          writer.finish();
        }
        case ChainOutcome.Fail fail when failure == null -> completion.fail(exchange, fail.error());
        case ChainOutcome.Respond respond when failure == null -> chains.immediate(exchange, respond.response());
        case null, default -> completion.fail(exchange, new GatewayError.Internal("Internal gateway error"));
      }
    });
  }

  /** {@code /v1/messages} on the echo model: the Anthropic request goes through the pivot and back. */
  private void anthropic(Exchange exchange, JsonNode request, boolean stream) {
    InboundCodec codec = new AnthropicInboundCodec();
    ObjectNode pivot;
    try {
      pivot = codec.toPivot(request);
    } catch (TranslationException e) {
      completion.fail(exchange, e.error());
      return;
    }
    EchoModel.Answer answer = model.chatCompletion(pivot, stream, true);
    HttpServerResponse response = exchange.request.response();
    response.putHeader("x-request-id", exchange.requestId);
    completion.decorate(exchange, response);
    try {
      switch (answer) {
        case EchoModel.Answer.Body plain -> {
          exchange.usage = plain.usage();
          byte[] out = codec.fromPivot((ObjectNode) Json.MAPPER.readTree(plain.json()));
          exchange.bytesOut = out.length;
          response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(out));
        }
        case EchoModel.Answer.Stream events -> {
          exchange.usage = events.usage();
          response.setChunked(true)
              .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
              .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
          exchange.ttftNanos = System.nanoTime() - exchange.startNanos;
          java.util.function.Consumer<byte[]> write = event -> {
            exchange.bytesOut += event.length;
            response.write(Buffer.buffer(event));
          };
          var decoder = new dev.aigis.core.sse.SseDecoder(event -> {
            if (event.data() != null && !event.isDone()) {
              try {
                codec.pivotChunk((ObjectNode) Json.MAPPER.readTree(event.data()), write);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          }, 1 << 20);
          events.events().forEach(decoder::feed);
          codec.pivotEnd(write);
          response.end();
        }
      }
    } catch (IOException e) {
      completion.fail(exchange, new GatewayError.Internal("Internal gateway error; request id " + exchange.requestId));
      return;
    }
    completion.succeeded(exchange);
  }

  /** {@code /v1/messages/count_tokens} answered by the gateway (o200k_base, an approximation of Anthropic's tokenizer). */
  void countTokens(Exchange exchange, byte[] body) {
    byte[] out;
    try {
      out = Json.MAPPER.writeValueAsBytes(AnthropicTokenCount.count(Json.MAPPER.readTree(body)));
    } catch (TranslationException e) {
      completion.fail(exchange, e.error());
      return;
    } catch (IOException | RuntimeException e) {
      completion.fail(exchange, new GatewayError.InvalidRequest("Request body must be a JSON object", null));
      return;
    }
    exchange.bytesOut = out.length;
    HttpServerResponse response = exchange.request.response();
    response.putHeader("x-request-id", exchange.requestId).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    completion.decorate(exchange, response);
    response.end(Buffer.buffer(out));
    completion.succeeded(exchange);
  }
}
