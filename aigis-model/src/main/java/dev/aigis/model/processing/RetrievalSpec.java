package dev.aigis.model.processing;

import java.math.BigDecimal;

/**
 * {@code type: Retrieval}: retrieval-augmented generation. The last user message is the query; the
 * best chunks of a KnowledgeBase are injected as one system message with {@code [n]} source markers.
 *
 * @param knowledgeBase the name of a KnowledgeBase in the PayloadProcessor's namespace
 * @param topK how many chunks at most
 * @param minScore the cosine similarity (or retriever score) a chunk needs, in [-1, 1]
 * @param maxContextChars the bound on the injected chunk text; chunks that would pass it are left out
 * @param template the instruction above the chunks
 */
public record RetrievalSpec(String knowledgeBase, int topK, BigDecimal minScore, int maxContextChars, String template)
    implements ProcessorConfig {

  public static final int DEFAULT_TOP_K = 3;
  public static final BigDecimal DEFAULT_MIN_SCORE = new BigDecimal("0.3");
  public static final int DEFAULT_MAX_CONTEXT_CHARS = 6000;
  public static final String DEFAULT_TEMPLATE = "Use the following context to answer. Cite sources by their [n] marker.";
}
