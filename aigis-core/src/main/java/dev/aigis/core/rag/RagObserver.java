package dev.aigis.core.rag;

/**
 * Where retrieval is measured (the data plane binds it to Micrometer). The knowledge base label is
 * the configured {@code namespace/name}; reasons are a closed set. Never a client string.
 */
public interface RagObserver {

  RagObserver NONE = new RagObserver() {};

  /** A retrieval finished in {@code nanos}: {@code found} chunks passed the score, {@code injected} went in. */
  default void retrieved(String knowledgeBase, long nanos, int found, int injected) {}

  /** @param reason {@code saturated}, {@code timeout}, {@code unavailable} or {@code invalid} */
  default void failed(String knowledgeBase, String reason) {}

  /** A local index now holds {@code chunks} chunks. */
  default void indexed(String knowledgeBase, int chunks) {}
}
