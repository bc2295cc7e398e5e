package dev.aigis.core.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.exchange.Workers.Saturated;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmbeddingServiceTest {

  private final FakeEmbedder model = new FakeEmbedder();
  private final Recorder observer = new Recorder();
  private EmbeddingService service;

  @AfterEach
  void tearDown() {
    model.release.countDown();
    if (service != null) {
      service.close();
    }
  }

  private EmbeddingService start(int threads, int queue) {
    service = EmbeddingService.start(model, new EmbeddingSettings(threads, queue, 32, 100), observer);
    return service;
  }

  @Test
  void aCacheHitDoesNotCallTheModel() {
    model.release.countDown();
    start(1, 8);
    float[] first = join(service.embed("hello"));
    float[] second = join(service.embed("hello"));
    assertThat(second).containsExactly(first).containsExactly(FakeEmbedder.vector("hello"));
    assertThat(model.calls).hasValue(1);
    assertThat(observer.hits).hasValue(1);
    assertThat(observer.misses).hasValue(1);
  }

  @Test
  void withTheCacheOffEveryRequestRunsTheModel() {
    model.release.countDown();
    service = EmbeddingService.start(model, new EmbeddingSettings(1, 8, 32, 0), observer);
    join(service.embed("hello"));
    join(service.embed("hello"));
    assertThat(model.calls).hasValue(2);
    assertThat(observer.misses).hasValue(2);
  }

  @Test
  void aLongTextIsCachedByItsDigestAndADifferentOneIsNot() {
    model.release.countDown();
    start(1, 8);
    String long1 = "x".repeat(TextKey.MAX_PLAIN_CHARS) + "one";
    String long2 = "x".repeat(TextKey.MAX_PLAIN_CHARS) + "two";
    join(service.embed(long1));
    assertThat(join(service.embed(long1))).containsExactly(FakeEmbedder.vector(long1));
    assertThat(join(service.embed(long2))).containsExactly(FakeEmbedder.vector(long2));
    assertThat(model.calls).hasValue(2);
    assertThat(observer.hits).hasValue(1);
  }

  @Test
  void eachCallerGetsItsOwnCopy() {
    model.release.countDown();
    start(1, 8);
    join(service.embed("hello"))[0] = 99;
    assertThat(join(service.embed("hello"))).containsExactly(FakeEmbedder.vector("hello"));
  }

  @Test
  void identicalTextsWaitingTogetherRunOnceAndABatchTakesEverythingWaiting() throws InterruptedException {
    start(1, 8);
    var a1 = service.embed("a");
    model.started.await(); // the only worker is inside the model with "a"
    var b1 = service.embed("b");
    var b2 = service.embed("b");
    var c = service.embed("c");
    var a2 = service.embed("a");
    model.release.countDown();
    assertThat(join(a1)).containsExactly(FakeEmbedder.vector("a"));
    assertThat(join(b1)).containsExactly(FakeEmbedder.vector("b"));
    assertThat(join(b2)).containsExactly(FakeEmbedder.vector("b"));
    assertThat(join(c)).containsExactly(FakeEmbedder.vector("c"));
    assertThat(join(a2)).containsExactly(FakeEmbedder.vector("a"));
    assertThat(model.texts).containsExactly("a", "b", "c");
    assertThat(observer.batches).containsExactly(1, 4);
    assertThat(observer.misses).hasValue(3);
    assertThat(observer.hits).hasValue(2); // the second "b" joined the first; "a" came from the cache
  }

  @Test
  void anIdenticalTextJoinsTheRunAnotherWorkerHas() throws InterruptedException {
    start(2, 8);
    String text = "y".repeat(1000);
    var first = service.embed(text);
    model.started.await();
    var second = service.embed(text);
    var third = service.embed(text);
    model.release.countDown();
    assertThat(join(first)).containsExactly(FakeEmbedder.vector(text));
    assertThat(join(second)).containsExactly(FakeEmbedder.vector(text));
    assertThat(join(third)).containsExactly(FakeEmbedder.vector(text));
    assertThat(model.calls).hasValue(1);
    assertThat(observer.misses).hasValue(1);
    assertThat(observer.hits).hasValue(2);
  }

  @Test
  void aFullQueueFailsWithSaturatedAtOnce() throws InterruptedException {
    start(1, 2);
    var running = service.embed("a");
    model.started.await();
    var queued1 = service.embed("b");
    var queued2 = service.embed("c");
    CompletableFuture<float[]> refused = service.embed("d").toCompletableFuture();
    assertThat(refused).isCompletedExceptionally();
    assertThatThrownBy(refused::join).hasCauseInstanceOf(Saturated.class)
        .cause().hasMessage("embedding queue full (2 waiting)");
    assertThat(observer.rejected).hasValue(1);
    assertThat(observer.depths).contains(2);
    model.release.countDown();
    join(running);
    join(queued1);
    join(queued2);
    assertThat(model.texts).containsExactly("a", "b", "c");
  }

  @Test
  void closeFailsWaitingAndRunningWork() throws InterruptedException {
    start(1, 8);
    CompletableFuture<float[]> running = service.embed("a").toCompletableFuture();
    model.started.await();
    CompletableFuture<float[]> waiting = service.embed("b").toCompletableFuture();
    service.close();
    assertThat(running).isCompletedExceptionally();
    assertThat(waiting).isCompletedExceptionally();
    assertThatThrownBy(waiting::join).hasCauseInstanceOf(IllegalStateException.class)
        .cause().hasMessage("embedding service closed");
    assertThat(service.embed("c").toCompletableFuture()).isCompletedExceptionally();
  }

  @Test
  void aModelFailureFailsTheRequestAndIsNotCached() {
    model.release.countDown();
    start(1, 8);
    assertThatThrownBy(() -> join(service.embed("boom"))).hasRootCauseMessage("model failed");
    assertThatThrownBy(() -> join(service.embed("boom"))).hasRootCauseMessage("model failed");
    assertThat(model.calls).hasValue(2);
    assertThat(join(service.embed("fine"))).containsExactly(FakeEmbedder.vector("fine"));
  }

  @Test
  void asABlockingEmbedderItSharesTheCacheAndThrowsSaturated() throws InterruptedException {
    start(1, 1);
    Embedder blocking = service.asEmbedder();
    var running = service.embed("a");
    model.started.await();
    var queued = service.embed("b");
    assertThatThrownBy(() -> blocking.embed("c")).isInstanceOf(Saturated.class);
    model.release.countDown();
    join(running);
    join(queued);
    assertThat(blocking.embedAll(List.of("a", "b"))).containsExactly(FakeEmbedder.vector("a"), FakeEmbedder.vector("b"));
    assertThat(model.texts).containsExactly("a", "b");
    assertThat(blocking.dimension()).isEqualTo(2);
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> new EmbeddingSettings(0, 1, 1, 1)).hasMessage("threads must be at least 1, got 0");
    assertThatThrownBy(() -> EmbeddingSettings.defaults().withQueueSize(0))
        .hasMessage("queueSize must be at least 1, got 0");
    assertThat(EmbeddingSettings.defaults().threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(EmbeddingSettings.defaults().cacheEntries()).isEqualTo(10_000);
  }

  private static float[] join(CompletionStage<float[]> stage) {
    return stage.toCompletableFuture().join();
  }

  /** Counts calls; blocks inside the model until {@link #release} opens; "boom" fails. */
  static final class FakeEmbedder implements Embedder {
    final AtomicInteger calls = new AtomicInteger();
    final List<String> texts = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    static float[] vector(String text) {
      return new float[] {text.length(), text.hashCode()};
    }

    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public int maxTokens() {
      return 128;
    }

    @Override
    public List<float[]> embedAll(List<String> batch) {
      List<float[]> out = new ArrayList<>();
      for (String text : batch) {
        calls.incrementAndGet();
        texts.add(text);
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException("interrupted", e);
        }
        if (text.equals("boom")) {
          throw new IllegalStateException("model failed");
        }
        out.add(vector(text));
      }
      return out;
    }
  }

  static final class Recorder implements EmbeddingObserver {
    final AtomicInteger hits = new AtomicInteger();
    final AtomicInteger misses = new AtomicInteger();
    final AtomicInteger rejected = new AtomicInteger();
    final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> depths = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void batch(int requests) {
      batches.add(requests);
    }

    @Override
    public void queueDepth(int waiting) {
      depths.add(waiting);
    }

    @Override
    public void cache(boolean hit) {
      (hit ? hits : misses).incrementAndGet();
    }

    @Override
    public void rejected() {
      rejected.incrementAndGet();
    }
  }
}
