package dev.aigis.core.rag;

import dev.aigis.core.exchange.Workers;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Finds the chunks of a knowledge base closest to a query: the gateway's own index
 * ({@link LocalKnowledgeBase}) or an external service ({@link HttpRetriever}). Never blocks the
 * caller; a failed stage (saturated embeddings or workers, a retriever down or late, a bad answer)
 * is the Retrieval processor's failure. Thread-safe.
 */
public interface Retriever {

  /** {@code namespace/name} of the KnowledgeBase, as metrics and logs name it. */
  String name();

  /**
   * @param workers where CPU work (the search) runs; null runs it on the calling thread (tests)
   * @return at most {@code topK} chunks scoring at least {@code minScore}, best first
   */
  CompletionStage<List<Retrieved>> retrieve(String query, int topK, double minScore, Workers workers);
}
