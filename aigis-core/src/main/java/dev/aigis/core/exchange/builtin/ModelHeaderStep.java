package dev.aigis.core.exchange.builtin;

import dev.aigis.core.processing.ExchangeStates;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.Verdict;
import java.util.concurrent.CompletionStage;

/**
 * The first stage of every exchange: the model the body names becomes {@code X-Gateway-Model-Name}
 * (the AI Gateway WG's routing header), overwriting a client-sent value, or removing it when the
 * body names none, so a client cannot route by header to a model its body does not ask for.
 */
public final class ModelHeaderStep implements Processor {

  public static final String MODEL_HEADER = "X-Gateway-Model-Name";

  @Override
  public ProcessorNeeds needs() {
    return ProcessorNeeds.REQUEST_HEADERS_ONLY;
  }

  @Override
  public CompletionStage<Verdict> onRequestHeaders(ProcessedRequest request, ExchangeState state) {
    String model = request.model();
    if (model != null) {
      String sent = request.headers().get(MODEL_HEADER);
      // Replaced unless it is exactly the one value already: a second client value must not survive.
      if (!model.equals(sent) || request.headers().getAll(MODEL_HEADER).size() > 1) {
        request.headers().set(MODEL_HEADER, model);
      }
    } else if (request.headers().get(MODEL_HEADER) != null) {
      request.headers().remove(MODEL_HEADER);
    }
    return ExchangeStates.CONTINUE;
  }
}
