package dev.aigis.core.embedding;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.aigis.core.exchange.Workers.Saturated;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link EmbeddingService}: a bounded queue drained by a fixed set of platform threads.
 *
 * <p>A worker takes every waiting request up to a batch, groups identical texts, and for each
 * distinct text answers from the cache, or joins the run another worker already has for it, or
 * runs the model itself. All requests for one text are completed through one future per run
 * (registered in {@link #running}), which is also what {@link #close} fails.
 *
 * <p>Long texts are hashed on the worker, not on the caller: {@code embed} may be called on an
 * event loop, and a prompt can be megabytes. Only short texts, whose key is the text itself, are
 * looked up in the cache on the caller's thread.
 */
final class BatchingEmbeddingService implements EmbeddingService {

  private final Embedder embedder;
  private final EmbeddingObserver observer;
  private final int batchSize;
  private final int queueSize;
  private final ArrayBlockingQueue<Pending> queue;
  /** Null when the cache is off: Caffeine evicts past its bound only later, so size 0 would still hit. */
  private final Cache<Object, float[]> cache;
  private final ConcurrentHashMap<Object, CompletableFuture<float[]>> running = new ConcurrentHashMap<>();
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean closed;

  /** A request: its text, and the stage its caller holds. */
  private record Pending(String text, CompletableFuture<float[]> result) {}

  BatchingEmbeddingService(Embedder embedder, EmbeddingSettings settings, EmbeddingObserver observer) {
    this.embedder = Objects.requireNonNull(embedder, "embedder");
    this.observer = Objects.requireNonNull(observer, "observer");
    this.batchSize = settings.batchSize();
    this.queueSize = settings.queueSize();
    this.queue = new ArrayBlockingQueue<>(settings.queueSize());
    this.cache = settings.cacheEntries() == 0 ? null : Caffeine.newBuilder().maximumSize(settings.cacheEntries()).build();
    var threads = Thread.ofPlatform().name("aigis-embedding-", 1).daemon(true);
    for (int i = 0; i < settings.threads(); i++) {
      workers.add(threads.start(this::work));
    }
  }

  @Override
  public int dimension() {
    return embedder.dimension();
  }

  @Override
  public Embedder asEmbedder() {
    return new Embedder() {
      @Override
      public int dimension() {
        return embedder.dimension();
      }

      @Override
      public int maxTokens() {
        return embedder.maxTokens();
      }

      @Override
      public List<float[]> embedAll(List<String> texts) {
        List<CompletableFuture<float[]>> stages = new ArrayList<>(texts.size());
        for (String text : texts) {
          stages.add(BatchingEmbeddingService.this.embed(text).toCompletableFuture());
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (CompletableFuture<float[]> stage : stages) {
          try {
            vectors.add(stage.join());
          } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
          }
        }
        return vectors;
      }
    };
  }

  @Override
  public CompletionStage<float[]> embed(String text) {
    Objects.requireNonNull(text, "text");
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    if (TextKey.plain(text)) {
      float[] hit = cached(text);
      if (hit != null) {
        observer.cache(true);
        return CompletableFuture.completedFuture(hit.clone());
      }
    }
    var pending = new Pending(text, new CompletableFuture<>());
    if (!queue.offer(pending)) {
      observer.rejected();
      return CompletableFuture.failedFuture(new Saturated("embedding queue full (" + queueSize + " waiting)"));
    }
    observer.queueDepth(queue.size());
    if (closed) {
      failWaiting(); // close() ran between the check above and the offer
    }
    return pending.result();
  }

  private void work() {
    List<Pending> batch = new ArrayList<>(batchSize);
    while (!closed) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch, batchSize - 1);
      observer.batch(batch.size());
      observer.queueDepth(queue.size());
      try {
        Map<Object, List<Pending>> byText = new LinkedHashMap<>();
        for (Pending pending : batch) {
          byText.computeIfAbsent(TextKey.of(pending.text()), key -> new ArrayList<>(1)).add(pending);
        }
        byText.forEach(this::serve);
      } catch (Throwable e) {
        // Only an observer can throw here; the worker must survive it and no request may hang.
        batch.forEach(pending -> pending.result().completeExceptionally(e));
      }
      batch.clear();
    }
  }

  /** Answers every request in {@code group} (one text) from the cache, a running run, or a new run. */
  private void serve(Object key, List<Pending> group) {
    float[] cached = cached(key);
    if (cached != null) {
      hits(group.size());
      deliver(CompletableFuture.completedFuture(cached), group);
      return;
    }
    var run = new CompletableFuture<float[]>();
    CompletableFuture<float[]> other = running.putIfAbsent(key, run);
    if (other != null) {
      hits(group.size());
      deliver(other, group);
      return;
    }
    deliver(run, group);
    try {
      // Re-read after registering: a run that finished between the first read and the
      // registration has already left the cache filled and the map empty.
      cached = cached(key);
      if (cached != null) {
        hits(group.size());
        finish(key, run, cached, null);
        return;
      }
      if (closed) {
        finish(key, run, null, closedError());
        return;
      }
      observer.cache(false);
      hits(group.size() - 1);
      long start = System.nanoTime();
      float[] vector;
      try {
        vector = embedder.embed(group.getFirst().text());
      } finally {
        observer.ran(System.nanoTime() - start);
      }
      if (cache != null) {
        cache.put(key, vector);
      }
      finish(key, run, vector, null);
    } catch (Throwable e) {
      finish(key, run, null, e); // a model or observer failure; a registered run must never be left open
    }
  }

  /**
   * Unregisters a run, then completes it: a caller woken by the completion may ask for the same
   * text at once, and must then find the cache, not a finished run (with the cache off it would
   * otherwise be answered by the old run, never the model).
   */
  private void finish(Object key, CompletableFuture<float[]> run, float[] vector, Throwable error) {
    running.remove(key, run);
    if (error == null) {
      run.complete(vector);
    } else {
      run.completeExceptionally(error);
    }
  }

  private float[] cached(Object key) {
    return cache == null ? null : cache.getIfPresent(key);
  }

  /** Completes each request of {@code group} with its own copy of the run's vector, or its failure. */
  private static void deliver(CompletableFuture<float[]> run, List<Pending> group) {
    run.whenComplete((vector, error) -> {
      for (Pending pending : group) {
        if (error == null) {
          pending.result().complete(vector.clone());
        } else {
          pending.result().completeExceptionally(error);
        }
      }
    });
  }

  private void hits(int count) {
    for (int i = 0; i < count; i++) {
      observer.cache(true);
    }
  }

  private void failWaiting() {
    List<Pending> waiting = new ArrayList<>();
    queue.drainTo(waiting);
    for (Pending pending : waiting) {
      pending.result().completeExceptionally(closedError());
    }
  }

  private static IllegalStateException closedError() {
    return new IllegalStateException("embedding service closed");
  }

  /**
   * Fails waiting and running requests at once. A model run in progress cannot be interrupted; its
   * worker drops the result and exits when the run ends.
   */
  @Override
  public void close() {
    closed = true;
    workers.forEach(Thread::interrupt);
    failWaiting();
    running.values().forEach(run -> run.completeExceptionally(closedError()));
  }
}
