package dev.aigis.core.processing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Shared completed stages for processors that decide synchronously, so they allocate nothing per call. */
public final class ExchangeStates {

  public static final CompletionStage<Verdict> CONTINUE = CompletableFuture.completedFuture(Verdict.CONTINUE);

  private ExchangeStates() {}
}
