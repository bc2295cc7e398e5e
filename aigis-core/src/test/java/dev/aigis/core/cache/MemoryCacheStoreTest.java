package dev.aigis.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryCacheStoreTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

  private static float[] unit(float x, float y) {
    double n = Math.sqrt(x * x + y * y);
    return new float[] {(float) (x / n), (float) (y / n)};
  }

  private CacheEntry entry(String id, String key, float[] vector, long ttl) {
    return new CacheEntry(id, key, "p", vector, "{\"id\":\"" + id + "\"}", now.get(), now.get() + ttl, "q " + id);
  }

  @Test
  void exactAndNearestFindALiveEntryUntilItExpiresAndThenTheIndexForgetsIt() {
    try (ResponseCacheStore store = ResponseCacheStore.memory(100, clock)) {
      store.put(entry("a", "k1", unit(1, 0), 1_000));

      assertThat(store.exact("k1", now.get()).toCompletableFuture().join().id()).isEqualTo("a");
      SemanticMatch match = store.nearest("p", unit(1, 0.1f), 0.9, now.get()).toCompletableFuture().join();
      assertThat(match.entry().id()).isEqualTo("a");
      assertThat(match.entry().question()).isEqualTo("q a");
      assertThat(match.similarity()).isGreaterThan(0.99);
      assertThat(store.nearest("p", unit(0, 1), 0.9, now.get()).toCompletableFuture().join()).isNull();
      assertThat(store.nearest("other", unit(1, 0), 0.9, now.get()).toCompletableFuture().join()).isNull();

      now.addAndGet(1_000);
      assertThat(store.exact("k1", now.get()).toCompletableFuture().join()).isNull();
      assertThat(store.nearest("p", unit(1, 0), 0.5, now.get()).toCompletableFuture().join()).isNull();
      assertThat(store.size()).isZero();
    }
  }

  @Test
  void aNewerAnswerUnderTheSameKeyReplacesTheOlderOneInBothTiers() {
    try (ResponseCacheStore store = ResponseCacheStore.memory(100, clock)) {
      store.put(entry("old", "k", unit(1, 0), 10_000));
      store.put(entry("new", "k", unit(1, 0), 10_000));

      assertThat(store.exact("k", now.get()).toCompletableFuture().join().id()).isEqualTo("new");
      assertThat(store.nearest("p", unit(1, 0), 0.9, now.get()).toCompletableFuture().join().entry().id())
          .isEqualTo("new");
      assertThat(store.size()).isEqualTo(1);
    }
  }

  @Test
  void overItsSizeTheStoreEvictsAndKeepsItsIndexInStep() {
    try (ResponseCacheStore store = ResponseCacheStore.memory(10, clock)) {
      for (int i = 0; i < 50; i++) {
        store.put(entry("e" + i, "k" + i, unit(1, i), 60_000));
      }
      assertThat(store.size()).isLessThanOrEqualTo(10);
      int exactHits = 0;
      for (int i = 0; i < 50; i++) {
        exactHits += store.exact("k" + i, now.get()).toCompletableFuture().join() == null ? 0 : 1;
      }
      assertThat((long) exactHits).isEqualTo(store.size());
    }
  }
}
