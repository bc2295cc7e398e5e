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
 *
 * <p>Compiling a configuration is not serving it (a later entry may refuse it): the bases a
 * compilation produced are polled for file changes only once the owner says the configuration is
 * serving ({@link #committed}); until then the serving ones are, and a refused configuration's
 * bases are dropped ({@link #discardCompiled}). Bases no serving configuration names are forgotten.
 */
public final class KnowledgeRuntime implements AutoCloseable {

  private final Supplier<EmbeddingService> embeddings;
  private final RagObserver observer;
  private final boolean eager;
  /** The bases of the serving configuration, polled by {@link #refresh}. */
  private final ConcurrentMap<String, LocalKnowledgeBase> serving = new ConcurrentHashMap<>();
  /** The bases of the configuration being compiled, serving once {@link #committed}. */
  private final ConcurrentMap<String, LocalKnowledgeBase> compiled = new ConcurrentHashMap<>();
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
    LocalKnowledgeBase existing = compiled.get(name);
    if (existing == null) {
      existing = serving.get(name);
    }
    if (existing != null && existing.definition().equals(definition) && existing.index() != null) {
      existing.refresh();
      compiled.put(name, existing);
      return existing;
    }
    LocalKnowledgeBase created = new LocalKnowledgeBase(name, definition, embeddings, observer);
    if (eager) {
      created.build(existing == null ? null : existing.index());
      compiled.put(name, created);
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

  /** Rebuilds the serving bases whose files changed; each keeps serving its old index until then. */
  public void refresh() {
    serving.values().forEach(LocalKnowledgeBase::refresh);
  }

  /** The configuration compiled last is serving: its bases are the ones polled from now on. */
  public synchronized void committed() {
    serving.keySet().retainAll(compiled.keySet());
    serving.putAll(compiled);
    compiled.clear();
  }

  /** The configuration compiled last was refused: the serving bases stay as they are. */
  public synchronized void discardCompiled() {
    compiled.clear();
  }

  @Override
  public void close() {
    HttpClient client = http;
    if (client != null) {
      client.close();
    }
  }
}
