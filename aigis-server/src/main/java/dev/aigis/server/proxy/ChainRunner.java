package dev.aigis.server.proxy;

import dev.aigis.core.processing.ChainExchange;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.ProcessingObserver;
import dev.aigis.core.processing.Scheduler;
import dev.aigis.core.processing.Verdict;
import dev.aigis.core.api.GatewayError;
import dev.aigis.server.metrics.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts chains for an exchange on its event loop and turns their outcomes into the next step, an
 * immediate response, or an error. Continuations always run on the exchange's event loop: a
 * processor that completes on a gRPC thread is hopped back before anything touches the exchange.
 */
final class ChainRunner {

  private static final Logger LOG = LoggerFactory.getLogger(ChainRunner.class);

  private final Vertx vertx;
  private final ExchangeCompletion completion;
  private final ProcessingObserver observer;
  private final Scheduler scheduler;

  ChainRunner(Vertx vertx, ExchangeCompletion completion, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.completion = completion;
    this.observer = (chain, processor, stage, outcome, nanos) -> metrics.recordProcessor(
        new GatewayMetrics.ProcessorLabels(chain, processor, stage.name(), outcome.name()), nanos);
    this.scheduler = (delay, task) -> {
      long id = vertx.setTimer(Math.max(1, delay.toMillis()), t -> task.run());
      return () -> vertx.cancelTimer(id);
    };
  }

  /** An executor that runs on {@code context}, inline when already there. */
  static Executor executorOf(Context context) {
    return command -> {
      if (Vertx.currentContext() == context) {
        command.run();
      } else {
        context.runOnContext(v -> command.run());
      }
    };
  }

  /** Runs {@code chain}'s request stages; on Proceed calls {@code next}, otherwise ends the exchange. */
  void runRequest(Exchange exchange, ProcessingChain chain, Runnable next) {
    ChainExchange run = chain.start(exchange.executor, scheduler, observer);
    exchange.chains.add(new Exchange.StartedChain(chain, run));
    run.request(exchange.processed).whenComplete((outcome, failure) -> {
      if (exchange.finished()) {
        return;
      }
      if (failure != null) {
        LOG.error("request {}: chain {} failed unexpectedly", exchange.requestId, chain.name(), failure);
        completion.fail(exchange, new GatewayError.Internal("Internal gateway error; request id " + exchange.requestId));
        return;
      }
      switch (outcome) {
        case ChainOutcome.Proceed p -> next.run();
        case ChainOutcome.Respond respond -> immediate(exchange, respond.response());
        case ChainOutcome.Fail fail -> completion.fail(exchange, fail.error());
      }
    });
  }

  /** Answers with a processor's ImmediateResponse; no later processor runs and nothing goes upstream. */
  void immediate(Exchange exchange, Verdict.ImmediateResponse answer) {
    if (exchange.finished()) {
      return;
    }
    var response = exchange.request.response();
    response.setStatusCode(answer.status());
    if (answer.headers() != null) {
      for (Map.Entry<String, List<String>> header : answer.headers().entrySet()) {
        response.headers().set(header.getKey(), header.getValue());
      }
    }
    response.putHeader("x-request-id", exchange.requestId);
    exchange.errorCode = "processor_response";
    byte[] body = answer.body() == null ? new byte[0] : answer.body();
    exchange.bytesOut += body.length;
    completion.decorate(exchange, response);
    response.end(Buffer.buffer(body));
    completion.succeeded(exchange);
  }
}
