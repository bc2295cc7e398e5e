package dev.aigis.core.policy;

import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.usage.TokenUsage;
import java.util.concurrent.CompletionStage;

/** What a request will likely use, and what usage costs: the rate limiter's view of tokenizers and prices. */
public interface UsageEstimates {

  /**
   * The request's input tokens and its output ceiling ({@code max_completion_tokens} or
   * {@code max_tokens}; 0 when it sets none) as a usage; may complete on a worker for large prompts.
   */
  CompletionStage<TokenUsage> estimate(ProcessedRequest request);

  /** The usage's price in nano-USD under the catalogue; 0 for a model it does not price. */
  long nanoUsd(String model, TokenUsage usage);
}
