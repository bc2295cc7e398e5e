package dev.aigis.model;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * aigis.dev/v1alpha1 KnowledgeBase: the documents a {@code Retrieval} processor draws context from.
 * Either {@code sources} (Markdown and plain-text files or ConfigMap keys, chunked and embedded by
 * the gateway) or {@code retriever} (an external HTTP service for corpora too large to index in
 * the gateway), never both. See docs/semantic-parts/rag.md.
 *
 * @param sources where the documents are; empty when {@code retriever} is set
 * @param chunking how documents are cut into chunks (ignored with a retriever)
 * @param retriever the external retriever, or null
 */
public record KnowledgeBase(ObjectMeta metadata, SourceRef source, List<Source> sources, Chunking chunking,
    Retriever retriever) implements Resource {

  public static final String API_VERSION = "aigis.dev/v1alpha1";
  public static final String KIND = "KnowledgeBase";

  /** File extensions read from a directory (and accepted for a single file). */
  public static final List<String> EXTENSIONS = List.of(".md", ".markdown", ".txt");

  public KnowledgeBase {
    sources = sources == null ? List.of() : List.copyOf(sources);
    chunking = chunking == null ? Chunking.DEFAULT : chunking;
  }

  @Override
  public String kind() {
    return KIND;
  }

  /**
   * One source: a file or directory ({@code path}, relative to the configuration file, filtered by
   * {@code include} globs), or keys of a ConfigMap in the KnowledgeBase's namespace. Exactly one of
   * the two is set.
   */
  public record Source(String path, List<String> include, ConfigMapSource configMap) {
    public Source {
      include = include == null ? List.of() : List.copyOf(include);
    }
  }

  /** @param keys the keys to read, every key when empty */
  public record ConfigMapSource(String name, List<String> keys) {
    public ConfigMapSource {
      keys = keys == null ? List.of() : List.copyOf(keys);
    }
  }

  /**
   * Chunk size and the characters a chunk repeats from the end of the one before it. The default
   * fits the embedding model's window (128 word pieces, about 500 characters of English): text past
   * it is injected but not embedded, so a larger chunk is found by its beginning only.
   */
  public record Chunking(int maxChars, int overlapChars) {
    public static final Chunking DEFAULT = new Chunking(600, 100);
  }

  /**
   * The external retriever ({@code POST url}, see the docs for the JSON API).
   *
   * @param headers extra request headers (not secrets: use {@code secretRef} for a bearer token)
   * @param secretRef a Secret key in the KnowledgeBase's namespace whose value is sent as a bearer token, or null
   */
  public record Retriever(URI url, Duration timeout, Map<String, String> headers, SecretKeyRef secretRef) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    public Retriever {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
      timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }
  }

  public record SecretKeyRef(String name, String key) {}
}
