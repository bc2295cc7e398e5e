package dev.aigis.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.exchange.Workers;
import dev.aigis.core.json.Json;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.InboundCodecs;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.ratelimit.Prices;
import dev.aigis.core.usage.TokenCounter;
import dev.aigis.core.usage.TokenEstimator;
import dev.aigis.core.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Estimates from the request in its chat form (so every client API is counted the same way) with
 * the shipped tokenizers, priced by the catalogue. Prompts over {@link #INLINE_LIMIT} bytes are
 * tokenized on the worker pool: tokenizing is linear but not free, and an event loop must not
 * spend milliseconds on one request. Requests with no chat form (embeddings, passthrough) are
 * counted over their body text.
 */
public final class PricedEstimates implements UsageEstimates {

  static final int INLINE_LIMIT = 64 * 1024;

  private final Prices prices;
  private final Workers workers;

  /** @param workers null: always inline (tests, validation) */
  public PricedEstimates(Prices prices, Workers workers) {
    this.prices = prices;
    this.workers = workers;
  }

  @Override
  public CompletionStage<TokenUsage> estimate(ProcessedRequest request) {
    byte[] body = request.body();
    if (body == null || body.length == 0) {
      return CompletableFuture.completedFuture(TokenUsage.NONE);
    }
    ExchangeContext context = request.context();
    if (body.length <= INLINE_LIMIT || workers == null) {
      try {
        return CompletableFuture.completedFuture(fromPivot(context.pivot().request()));
      } catch (TranslationException e) {
        return CompletableFuture.completedFuture(fromText(body));
      }
    }
    // Off the event loop: a pivot of its own, so the exchange's cached view stays confined to its thread.
    InboundCodec codec = InboundCodecs.of(context.endpoint());
    return workers.submit(() -> {
      if (codec == null) {
        return fromText(body);
      }
      try {
        JsonNode tree = Json.MAPPER.readTree(body);
        return fromPivot(codec.toPivot(tree));
      } catch (Exception e) {
        return fromText(body);
      }
    });
  }

  private static TokenUsage fromPivot(ObjectNode pivot) {
    TokenEstimator.Estimate estimate = TokenEstimator.estimate(pivot);
    return TokenUsage.of(estimate.inputTokens(), estimate.maxOutputTokens());
  }

  private static TokenUsage fromText(byte[] body) {
    return TokenUsage.of(TokenCounter.count(new String(body, StandardCharsets.UTF_8)), 0);
  }

  @Override
  public long nanoUsd(String model, TokenUsage usage) {
    if (model == null) {
      return 0;
    }
    return prices.lookup(model).map(price -> Prices.nanoUsd(usage, price)).orElse(0L);
  }
}
