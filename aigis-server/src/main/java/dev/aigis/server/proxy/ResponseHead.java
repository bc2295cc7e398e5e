package dev.aigis.server.proxy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.exchange.PipelineRun;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.server.processing.VertxMutableHeaders;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.Consumer;

/**
 * Opens the client's response: the response-header stages of the exchange's started chains run
 * (backwards) on the status and headers the caller set, before anything is written; then the
 * caller gets the {@link ResponseWriter} for the body. A processor may answer instead (the upstream
 * is reset) or fail the exchange.
 */
final class ResponseHead {

  private final ExchangeCompletion completion;
  private final ImmediateAnswers immediate;

  ResponseHead(ExchangeCompletion completion, ImmediateAnswers immediate) {
    this.completion = completion;
    this.immediate = immediate;
  }

  /**
   * @param status the status to answer with (processors may change it)
   * @param sse whether the body is an event stream
   * @param then receives the writer once the head may be written
   */
  void open(Exchange exchange, int status, boolean sse, Consumer<ResponseWriter> then) {
    HttpServerResponse response = exchange.request.response();
    response.putHeader("x-request-id", exchange.requestId);
    completion.decorate(exchange, response);
    PipelineRun run = exchange.run;
    var processed = new ProcessedResponse(status, new VertxMutableHeaders(response.headers()));
    processed.setUsage(exchange.usage);
    var writer = new ResponseWriter(exchange, completion, processed, sse);
    if (writer.processes()) {
      response.headers().remove(HttpHeaders.CONTENT_LENGTH); // processors may change the body
    }
    if (run == null || !run.wantsResponseHeaders()) {
      response.setStatusCode(status);
      chunkedUnlessSized(response);
      then.accept(writer);
      return;
    }
    run.responseHeaders(processed).whenComplete((outcome, failure) -> {
      if (exchange.finished()) {
        return;
      }
      switch (outcome) {
        case ChainOutcome.Proceed p when failure == null -> {
          response.setStatusCode(processed.status());
          chunkedUnlessSized(response);
          then.accept(writer);
        }
        case ChainOutcome.Respond respond when failure == null -> {
          exchange.resetUpstream();
          response.headers().clear();
          immediate.send(exchange, respond.response());
        }
        case ChainOutcome.Fail fail when failure == null -> {
          exchange.resetUpstream();
          response.headers().clear();
          completion.fail(exchange, fail.error(), fail.headers());
        }
        case null, default -> {
          exchange.resetUpstream();
          response.headers().clear();
          completion.fail(exchange, new GatewayError.Internal("Internal gateway error; request id " + exchange.requestId));
        }
      }
    });
  }

  private static void chunkedUnlessSized(HttpServerResponse response) {
    if (response.headers().get(HttpHeaders.CONTENT_LENGTH) == null) {
      response.setChunked(true);
    }
  }
}
