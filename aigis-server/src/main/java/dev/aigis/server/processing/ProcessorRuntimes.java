package dev.aigis.server.processing;

import dev.aigis.core.cache.CacheRuntime;
import dev.aigis.core.guard.processor.GuardRuntime;
import dev.aigis.core.rag.KnowledgeRuntime;
import dev.aigis.core.routing.semantic.SemanticRouteRuntime;
import java.util.Objects;

/**
 * What built-in processors share across configuration reloads, one of each per process and owned
 * by the caller (the data plane or the ext_proc server), which closes them: the guards' models,
 * baselines and rule files (and the one embedding service everything else embeds on), the semantic
 * routers built from example utterances, the response
 * caches' stores, and the knowledge bases Retrieval processors search.
 */
public record ProcessorRuntimes(
    GuardRuntime guards, SemanticRouteRuntime routes, CacheRuntime caches, KnowledgeRuntime knowledge) {

  public ProcessorRuntimes {
    Objects.requireNonNull(guards, "guards");
    Objects.requireNonNull(routes, "routes");
    Objects.requireNonNull(caches, "caches");
    Objects.requireNonNull(knowledge, "knowledge");
  }

  /**
   * For {@code aigis validate} and tests: connects to nothing and embeds nothing until a request
   * needs it (knowledge bases are read and chunked, routers built on first use, caches open no shared store).
   */
  public static ProcessorRuntimes forValidation() {
    GuardRuntime guards = GuardRuntime.forValidation();
    return new ProcessorRuntimes(guards, SemanticRouteRuntime.forValidation(guards::embeddings),
        CacheRuntime.forValidation(), KnowledgeRuntime.lazy(guards::embeddings));
  }

  /**
   * The compiled configuration is now serving: knowledge bases it loaded start being polled, and
   * caches it no longer names close their stores.
   */
  public void committed() {
    knowledge.committed();
    caches.sweep();
  }

  /** The compiled configuration was refused: what it loaded is forgotten, the serving one stays. */
  public void discarded() {
    knowledge.discardCompiled();
  }

  /** Closes what the runtimes hold; the guards last, since the others embed on their service. */
  public void close() {
    knowledge.close();
    caches.close();
    guards.close();
  }
}
