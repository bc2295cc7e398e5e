package dev.aigis.server.extproc;

import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.ProcessingObserver;
import dev.aigis.core.processing.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A Gateway's PreRouting and PostRouting chains, in request order (empty ones left out), and what
 * they need between them. Immutable and shared by every stream.
 */
final class GatewayChains {

  private final ProcessingChain[] chains;
  private final boolean requestBodyBuffered;
  private final boolean responseHeaders;
  private final BodyMode responseBody;

  GatewayChains(ProcessingChain preRouting, ProcessingChain postRouting) {
    List<ProcessingChain> present = new ArrayList<>(2);
    for (ProcessingChain chain : new ProcessingChain[] {preRouting, postRouting}) {
      if (chain != null && !chain.isEmpty()) {
        present.add(chain);
      }
    }
    this.chains = present.toArray(ProcessingChain[]::new);
    boolean buffered = false;
    boolean headers = false;
    BodyMode body = BodyMode.NONE;
    for (ProcessingChain chain : chains) {
      buffered |= chain.needs().requestBody() == BodyMode.BUFFERED;
      headers |= chain.needs().responseHeaders();
      BodyMode mode = chain.needs().responseBody();
      if (mode == BodyMode.BUFFERED || (mode == BodyMode.STREAMED && body == BodyMode.NONE)) {
        body = mode;
      }
    }
    this.requestBodyBuffered = buffered;
    this.responseHeaders = headers;
    this.responseBody = body;
  }

  /**
   * Only a BUFFERED request body is asked for: the chain has no stage for streamed request chunks
   * ({@link dev.aigis.core.processing.ChainExchange#request} runs headers and the whole body).
   */
  boolean requestBodyBuffered() {
    return requestBodyBuffered;
  }

  boolean responseHeaders() {
    return responseHeaders;
  }

  BodyMode responseBody() {
    return responseBody;
  }

  GatewayExchange start(Executor executor, Scheduler scheduler, ProcessingObserver observer) {
    var exchanges = new dev.aigis.core.processing.ChainExchange[chains.length];
    for (int i = 0; i < chains.length; i++) {
      exchanges[i] = chains[i].start(executor, scheduler, observer);
    }
    return new GatewayExchange(exchanges);
  }

  @Override
  public String toString() {
    return List.of(chains).toString();
  }
}
