package dev.aigis.core.rag;

import dev.aigis.core.embedding.EmbeddingService;
import dev.aigis.model.KnowledgeBase;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The knowledge bases of a gateway process, kept across configuration reloads: a reload whose
 * KnowledgeBase has the same documents and chunking keeps its built index (nothing is embedded
 * again), one that changed is rebuilt reusing the vectors of unchanged chunks. Also the one HTTP
 * client external retrievers share. Owned by whoever serves (the gateway, the ext_proc server);
 * {@link #refresh} is called every few seconds off the event loop to pick up edited files.
 *
 * <p>A live runtime builds an index when the configuration is compiled, so the first question
 * finds it ready; {@link #lazy} (validation, tests of configuration) only reads and chunks the
 * documents then, and embeds them on first use.
 */
public final class KnowledgeRuntime implements AutoCloseable {

  private final Supplier<EmbeddingService> embeddings;
  private final RagObserver observer;
  private final boolean eager;
  private final ConcurrentMap<String, LocalKnowledgeBase> local = new ConcurrentHashMap<>();
  private volatile HttpClient http;

  private KnowledgeRuntime(Supplier<EmbeddingService> embeddings, RagObserver observer, boolean eager) {
    this.embeddings = embeddings;
    this.observer = observer;
    this.eager = eager;
  }

  /** @param embeddings the process's one embedding service ({@code GuardRuntime::embeddings}) */
  public static KnowledgeRuntime live(Supplier<EmbeddingService> embeddings, RagObserver observer) {
    return new KnowledgeRuntime(embeddings, observer, true);
  }

  /** Compiles without embedding: indexes are built on first retrieval. */
  public static KnowledgeRuntime lazy(Supplier<EmbeddingService> embeddings) {
    return new KnowledgeRuntime(embeddings, RagObserver.NONE, false);
  }

  public RagObserver observer() {
    return observer;
  }

  /**
   * The local knowledge base {@code name} ({@code namespace/name}) over {@code documents}: the one
   * already held when nothing changed, else a new one, built now (blocking) in a live runtime.
   *
   * @throws KnowledgeBaseException when a source cannot be read or there are too many chunks;
   *     the base being served stays as it was
   */
  public LocalKnowledgeBase local(String name, DocumentSet documents, KnowledgeBase.Chunking chunking) {
    LocalKnowledgeBase.Definition definition = new LocalKnowledgeBase.Definition(documents, chunking);
    LocalKnowledgeBase existing = local.get(name);
    if (existing != null && existing.definition().equals(definition) && existing.index() != null) {
      existing.refresh();
      return existing;
    }
    LocalKnowledgeBase created = new LocalKnowledgeBase(name, definition, embeddings, observer);
    if (eager) {
      created.build(existing == null ? null : existing.index());
      local.put(name, created);
    } else {
      created.check();
    }
    return created;
  }

  /** An external retriever on the shared HTTP client. */
  public HttpRetriever remote(String name, KnowledgeBase.Retriever spec, Map<String, String> headers) {
    HttpClient client = http;
    if (client == null) {
      synchronized (this) {
        client = http;
        if (client == null) {
          client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
              .followRedirects(HttpClient.Redirect.NEVER).build();
          http = client;
        }
      }
    }
    return new HttpRetriever(name, client, spec.url(), spec.timeout(), headers);
  }

  /** Rebuilds the local bases whose files changed; each keeps serving its old index until then. */
  public void refresh() {
    local.values().forEach(LocalKnowledgeBase::refresh);
  }

  @Override
  public void close() {
    HttpClient client = http;
    if (client != null) {
      client.close();
    }
  }
}
