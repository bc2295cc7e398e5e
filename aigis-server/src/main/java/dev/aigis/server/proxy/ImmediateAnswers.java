package dev.aigis.server.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.exchange.StructuredAnswers;
import dev.aigis.core.processing.Verdict;
import dev.aigis.core.provider.InboundCodecs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Map;

/**
 * Answers a processor's immediate response: an ext_proc-style status, headers and body as given,
 * or a structured answer rendered in the client's format, plain or as a well-formed stream. No
 * later processor runs and nothing goes upstream.
 */
final class ImmediateAnswers {

  private final ExchangeCompletion completion;

  ImmediateAnswers(ExchangeCompletion completion) {
    this.completion = completion;
  }

  void send(Exchange exchange, Verdict.Immediate answer) {
    if (exchange.finished()) {
      return;
    }
    if (answer instanceof Verdict.Refuse refuse) { // the chain turns these into failures; kept for completeness
      completion.fail(exchange, refuse.error(), refuse.headers());
      return;
    }
    HttpServerResponse response = exchange.request.response();
    exchange.errorCode = dev.aigis.core.exchange.ExchangeSummary.PROCESSOR_ANSWER;
    switch (answer) {
      case Verdict.Refuse refuse -> throw new AssertionError("handled above");
      case Verdict.ImmediateResponse raw -> {
        response.setStatusCode(raw.status());
        if (raw.headers() != null) {
          for (Map.Entry<String, List<String>> header : raw.headers().entrySet()) {
            response.headers().set(header.getKey(), header.getValue());
          }
        }
        finish(exchange, response, raw.body() == null ? new byte[0] : raw.body());
      }
      case Verdict.Answer structured -> {
        ObjectNode completionBody = structured.completion();
        var rendered = StructuredAnswers.render(InboundCodecs.of(exchange.endpoint), completionBody, exchange.body.stream(),
            exchange.body.clientAskedForUsage());
        exchange.usage = rendered.usage();
        response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, rendered.contentType());
        if (rendered.stream()) {
          response.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        }
        structured.headers().forEach((name, values) -> response.headers().set(name, values));
        finish(exchange, response, rendered.body());
      }
    }
  }

  private void finish(Exchange exchange, HttpServerResponse response, byte[] body) {
    response.putHeader("x-request-id", exchange.requestId);
    exchange.bytesOut += body.length;
    completion.decorate(exchange, response);
    response.end(Buffer.buffer(body));
    completion.succeeded(exchange);
  }
}
