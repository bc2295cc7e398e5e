package dev.aigis.core.rag;

import dev.aigis.core.embedding.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chunks a knowledge base's documents and embeds the chunks into a {@link ChunkIndex}. Blocking:
 * call it off the event loop (configuration load, the file poll). Chunks whose text the previous
 * index already embedded keep their vectors, so editing one file of a large base re-embeds only
 * that file's changed chunks. Embeddings go through the shared service in small batches, leaving
 * room in its queue for live traffic.
 */
final class KnowledgeIndexBuilder {

  private static final System.Logger LOG = System.getLogger(KnowledgeIndexBuilder.class.getName());

  /** Beyond this a knowledge base belongs in an external retriever (memory, load time, search time). */
  static final int MAX_CHUNKS = 20_000;
  private static final int BATCH = 32;
  private static final int PROGRESS_EVERY = 1_000;

  private KnowledgeIndexBuilder() {}

  /** @throws KnowledgeBaseException when there are more than {@link #MAX_CHUNKS} chunks */
  static List<Chunk> chunks(String name, List<DocumentSet.Document> documents, MarkdownChunker chunker) {
    List<Chunk> chunks = new ArrayList<>();
    for (DocumentSet.Document document : documents) {
      chunks.addAll(chunker.chunk(document.name(), document.text(), MarkdownChunker.isMarkdown(document.name())));
      if (chunks.size() > MAX_CHUNKS) {
        throw new KnowledgeBaseException("spec.sources", "KnowledgeBase " + name + " has more than " + MAX_CHUNKS
            + " chunks; serve a corpus this large with an external retriever (spec.retriever)");
      }
    }
    return chunks;
  }

  /** @param previous the index being replaced (its vectors are reused), or null */
  static ChunkIndex build(String name, List<Chunk> chunks, Embedder embedder, ChunkIndex previous) {
    Map<String, float[]> known = previous == null ? Map.of() : previous.vectorsByText();
    float[][] vectors = new float[chunks.size()][];
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      float[] vector = known.get(chunks.get(i).embeddingText());
      if (vector == null) {
        missing.add(i);
      } else {
        vectors[i] = vector;
      }
    }
    long started = System.nanoTime();
    for (int from = 0; from < missing.size(); from += BATCH) {
      List<Integer> batch = missing.subList(from, Math.min(from + BATCH, missing.size()));
      List<float[]> embedded = embedder.embedAll(batch.stream().map(i -> chunks.get(i).embeddingText()).toList());
      for (int j = 0; j < batch.size(); j++) {
        vectors[batch.get(j)] = embedded.get(j);
      }
      int done = from + batch.size();
      if (done % PROGRESS_EVERY < BATCH && missing.size() > PROGRESS_EVERY) {
        LOG.log(System.Logger.Level.INFO, "knowledge base {0}: embedded {1} of {2} chunks", name, done, missing.size());
      }
    }
    LOG.log(System.Logger.Level.INFO, "knowledge base {0}: {1} chunks indexed ({2} embedded, {3} reused) in {4} ms",
        name, chunks.size(), missing.size(), chunks.size() - missing.size(), (System.nanoTime() - started) / 1_000_000);
    return ChunkIndex.of(chunks, List.of(vectors));
  }
}
