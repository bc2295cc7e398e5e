package dev.aigis.core.routing.semantic;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.aigis.core.embedding.EmbeddingService;
import java.util.function.Supplier;

/**
 * What SemanticRoute processors share, one per gateway process: the process's one embedding
 * service (the guards' and the semantic cache's), the metrics observer, and the routers built by
 * recent configurations, so a reload that leaves a router's examples unchanged does not embed them
 * again. A validation runtime ({@code aigis validate}, configuration tests) embeds nothing while
 * compiling: its routers are built on first use.
 */
public final class SemanticRouteRuntime {

  /** Routers of the current and recent configurations; each holds its examples' vectors. */
  private static final int KEPT_ROUTERS = 4;

  private final Supplier<EmbeddingService> embeddings;
  private final RouteObserver observer;
  private final boolean live;
  private final Cache<Object, SemanticRouter> routers = Caffeine.newBuilder().maximumSize(KEPT_ROUTERS).build();

  /** @param embeddings the shared service, started on first use ({@code GuardRuntime::embeddings}) */
  public SemanticRouteRuntime(Supplier<EmbeddingService> embeddings, RouteObserver observer) {
    this(embeddings, observer, true);
  }

  private SemanticRouteRuntime(Supplier<EmbeddingService> embeddings, RouteObserver observer, boolean live) {
    this.embeddings = embeddings;
    this.observer = observer;
    this.live = live;
  }

  /**
   * For compiling without serving: example files are read and checked, nothing is embedded until a
   * request arrives (so {@code aigis validate} never loads the model).
   */
  public static SemanticRouteRuntime forValidation(Supplier<EmbeddingService> embeddings) {
    return new SemanticRouteRuntime(embeddings, RouteObserver.NONE, false);
  }

  boolean live() {
    return live;
  }

  EmbeddingService embeddings() {
    return embeddings.get();
  }

  RouteObserver observer() {
    return observer;
  }

  /** The router for these settings, built (blocking: examples are embedded) unless a recent one matches. */
  SemanticRouter router(RouteExamples examples, int neighbours, double threshold, String defaultTarget) {
    record Key(RouteExamples examples, int neighbours, double threshold, String defaultTarget) {}
    return routers.get(new Key(examples, neighbours, threshold, defaultTarget), key -> SemanticRouter.build(
        examples, neighbours, threshold, defaultTarget, embeddings().asEmbedder(), done -> {}));
  }
}
