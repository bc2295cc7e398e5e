package dev.aigis.core.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * A {@link VectorIndex} over Lucene's HNSW graph, held in memory ({@link ByteBuffersDirectory}).
 * Each entry is one document: its id, its partition (a filter term) and its vector (dot product on
 * unit vectors, which is cosine similarity). A search filtered to a small partition is exact
 * (Lucene switches to a scan when the filter matches few documents); a large partition walks the
 * graph, which keeps a lookup at 100k entries well under a millisecond or two.
 *
 * <p>Visibility: writes go to an {@link IndexWriter}; the first search after a write refreshes the
 * near-real-time reader (blocking, on the searching thread, which is a worker), so an entry added
 * before a search is always found by it, and a burst of writes costs one refresh.
 */
final class LuceneVectorIndex implements VectorIndex {

  /**
   * Lucene warns on every start that the incubating Vector API is not enabled; the gateway runs
   * without it on purpose (one JVM flag fewer, and the scalar path meets the latency target), so
   * the warning is noise in its log and in {@code aigis cache eval}'s output. Held strongly:
   * java.util.logging forgets a logger's level once nothing references it.
   */
  private static final java.util.logging.Logger VECTORIZATION_LOG = quiet(
      "org.apache.lucene.internal.vectorization.VectorizationProvider");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.SEVERE);
    return logger;
  }

  private static final String ID = "id";
  private static final String PARTITION = "p";
  private static final String VECTOR = "v";

  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final AtomicBoolean dirty = new AtomicBoolean();
  /** Each entry's partition, and each partition's entry count (see {@link #search}). */
  private final java.util.concurrent.ConcurrentMap<String, String> partitions = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentMap<String, AtomicInteger> counts = new java.util.concurrent.ConcurrentHashMap<>();

  LuceneVectorIndex() {
    try {
      IndexWriterConfig config = new IndexWriterConfig();
      // Large enough that a bulk load (a replica catching up) becomes one segment, not many to merge.
      config.setRAMBufferSizeMB(256);
      writer = new IndexWriter(directory, config);
      searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void add(String id, String partition, float[] unitVector) {
    Document doc = new Document();
    doc.add(new StringField(ID, id, Field.Store.YES));
    doc.add(new StringField(PARTITION, partition, Field.Store.NO));
    doc.add(new KnnFloatVectorField(VECTOR, unitVector, VectorSimilarityFunction.DOT_PRODUCT));
    try {
      writer.updateDocument(new Term(ID, id), doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String previous = partitions.put(id, partition);
    if (!partition.equals(previous)) {
      counts.computeIfAbsent(partition, p -> new AtomicInteger()).incrementAndGet();
      if (previous != null) {
        decrement(previous);
      }
    }
    dirty.set(true);
  }

  private void decrement(String partition) {
    counts.computeIfPresent(partition, (p, count) -> count.decrementAndGet() <= 0 ? null : count);
  }

  @Override
  public void remove(String id) {
    try {
      writer.deleteDocuments(new Term(ID, id));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String partition = partitions.remove(id);
    if (partition != null) {
      decrement(partition);
    }
    dirty.set(true);
  }

  @Override
  public List<Neighbour> search(String partition, float[] unitVector, int k) {
    try {
      if (dirty.getAndSet(false)) {
        searchers.maybeRefreshBlocking();
      }
      IndexSearcher searcher = searchers.acquire();
      try {
        if (searcher.getIndexReader().numDocs() == 0) {
          return List.of();
        }
        // A filter costs a pass over its matching documents per search; when the partition is the
        // whole index (the common case: one model, single-turn questions) it filters nothing.
        AtomicInteger inPartition = counts.get(partition);
        if (inPartition == null) {
          return List.of();
        }
        boolean everything = counts.size() == 1;
        TopDocs top = searcher.search(everything ? new KnnFloatVectorQuery(VECTOR, unitVector, k)
            : new KnnFloatVectorQuery(VECTOR, unitVector, k, new TermQuery(new Term(PARTITION, partition))), k);
        List<Neighbour> out = new ArrayList<>(top.scoreDocs.length);
        var stored = searcher.storedFields();
        for (ScoreDoc hit : top.scoreDocs) {
          String id = stored.document(hit.doc).get(ID);
          // Lucene scores a dot product as (1 + dot) / 2; give back the cosine.
          out.add(new Neighbour(id, 2.0 * hit.score - 1.0));
        }
        return out;
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      // A vector of another dimension than the indexed ones: nothing can match it.
      if (String.valueOf(e.getMessage()).contains("dimension")) {
        return List.of();
      }
      throw e;
    }
  }

  @Override
  public int size() {
    return partitions.size();
  }

  @Override
  public void close() {
    try {
      searchers.close();
      writer.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
