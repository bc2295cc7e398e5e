package dev.aigis.core.rag;

import dev.aigis.core.embedding.EmbeddingService;
import dev.aigis.core.exchange.Workers;
import dev.aigis.model.KnowledgeBase;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A knowledge base indexed by the gateway: its documents chunked and embedded on the shared
 * embedding service, searched by brute force. The index is swapped whole: a rebuild (a changed file)
 * serves the old index until the new one is ready, and a rebuild that fails keeps the old one.
 * Thread-safe.
 */
public final class LocalKnowledgeBase implements Retriever {

  private static final System.Logger LOG = System.getLogger(LocalKnowledgeBase.class.getName());

  /** What decides whether a reloaded configuration may keep this base: its documents and chunking. */
  record Definition(DocumentSet documents, KnowledgeBase.Chunking chunking) {}

  private final String name;
  private final Definition definition;
  private final MarkdownChunker chunker;
  private final Supplier<EmbeddingService> embeddings;
  private final RagObserver observer;
  private volatile ChunkIndex index;
  private volatile List<String> stamp = List.of();

  LocalKnowledgeBase(String name, Definition definition, Supplier<EmbeddingService> embeddings, RagObserver observer) {
    this.name = name;
    this.definition = definition;
    this.chunker = new MarkdownChunker(definition.chunking().maxChars(), definition.chunking().overlapChars());
    this.embeddings = embeddings;
    this.observer = observer;
  }

  @Override
  public String name() {
    return name;
  }

  Definition definition() {
    return definition;
  }

  /** The index being served; null until built. */
  ChunkIndex index() {
    return index;
  }

  /**
   * Reads, chunks and embeds the documents (blocking), reusing {@code previous}'s vectors.
   *
   * @throws KnowledgeBaseException when a source cannot be read or there are too many chunks
   */
  void build(ChunkIndex previous) {
    List<String> before = definition.documents().stamp();
    List<Chunk> chunks = KnowledgeIndexBuilder.chunks(name, definition.documents().read(), chunker);
    ChunkIndex built = KnowledgeIndexBuilder.build(name, chunks, embeddings.get().asEmbedder(), previous);
    index = built;
    stamp = before;
    observer.indexed(name, built.size());
  }

  /** Reads and chunks without embedding: what validation checks. */
  void check() {
    KnowledgeIndexBuilder.chunks(name, definition.documents().read(), chunker);
  }

  /** Rebuilds when a file changed (called every few seconds, off the event loop); true when it did. */
  boolean refresh() {
    if (!definition.documents().hasFiles() || index == null || definition.documents().stamp().equals(stamp)) {
      return false;
    }
    try {
      build(index);
      return true;
    } catch (RuntimeException e) {
      stamp = definition.documents().stamp(); // one warning per change, not one per poll
      LOG.log(System.Logger.Level.WARNING, "knowledge base {0} not rebuilt, keeping the last index: {1}", name,
          e.getMessage());
      return false;
    }
  }

  @Override
  public CompletionStage<List<Retrieved>> retrieve(String query, int topK, double minScore, Workers workers) {
    return embeddings.get().embed(query).thenCompose(vector -> run(workers, () -> {
      ChunkIndex current = index;
      if (current == null) {
        synchronized (this) { // compiled for validation: built on first use
          if (index == null) {
            build(null);
          }
          current = index;
        }
      }
      return current.search(vector, topK, minScore);
    }));
  }

  private static <T> CompletionStage<T> run(Workers workers, java.util.concurrent.Callable<T> task) {
    if (workers != null) {
      return workers.submit(task);
    }
    try {
      return CompletableFuture.completedFuture(task.call());
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
