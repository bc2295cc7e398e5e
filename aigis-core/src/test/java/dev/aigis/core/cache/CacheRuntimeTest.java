package dev.aigis.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheRuntimeTest {

  private final List<SharedStoreSettings> opened = new ArrayList<>();
  private final List<String> closed = new ArrayList<>();

  private CacheRuntime runtime() {
    return new CacheRuntime(InstantSource.system(), CacheObserver.NONE, settings -> {
      opened.add(settings);
      ResponseCacheStore memory = ResponseCacheStore.memory(settings.maxEntries(), InstantSource.system());
      return new ResponseCacheStore() {
        @Override
        public java.util.concurrent.CompletionStage<CacheEntry> exact(String key, long now) {
          return memory.exact(key, now);
        }

        @Override
        public java.util.concurrent.CompletionStage<SemanticMatch> nearest(String p, float[] v, double min, long now) {
          return memory.nearest(p, v, min, now);
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> put(CacheEntry entry) {
          return memory.put(entry);
        }

        @Override
        public long size() {
          return memory.size();
        }

        @Override
        public void close() {
          closed.add(settings.cacheName());
          memory.close();
        }
      };
    }, () -> {
      throw new IllegalStateException("not used");
    });
  }

  private static CacheRuntime.StoreKey memory(String cache, long max) {
    return new CacheRuntime.StoreKey(cache, null, null, Duration.ofMillis(100), max);
  }

  private static CacheRuntime.StoreKey redis(String cache, String password) {
    return new CacheRuntime.StoreKey(cache, "redis://127.0.0.1:6379", password, Duration.ofMillis(100), 1000);
  }

  @Test
  void aReloadKeepsAMemoryStoreAndItsAnswersEvenWhenItsSizeChanges() {
    try (CacheRuntime runtime = runtime()) {
      ResponseCacheStore first = runtime.store(memory("ns/c/a", 10));
      first.put(new CacheEntry("1", "k", "p", null, "{}", 0, Long.MAX_VALUE));
      runtime.sweep();
      ResponseCacheStore second = runtime.store(memory("ns/c/a", 20));
      runtime.sweep();
      assertThat(second).isSameAs(first);
      assertThat(second.exact("k", 1).toCompletableFuture().join()).isNotNull();
    }
  }

  @Test
  void sharedStoresAreKeyedBySettingsAndClosedWhenNoConfigurationAsksForThemAnyMore() {
    try (CacheRuntime runtime = runtime()) {
      ResponseCacheStore a = runtime.store(redis("ns/c/a", "one"));
      runtime.store(redis("ns/c/b", null));
      runtime.sweep();
      assertThat(runtime.store(redis("ns/c/a", "one"))).isSameAs(a);
      ResponseCacheStore rotated = runtime.store(redis("ns/c/b", "two"));
      runtime.sweep();
      assertThat(opened).extracting(SharedStoreSettings::cacheName).containsExactly("ns/c/a", "ns/c/b", "ns/c/b");
      assertThat(closed).containsExactly("ns/c/b");
      assertThat(opened.getFirst().toString()).doesNotContain("one");
      assertThat(rotated).isNotNull();
    }
    assertThat(closed).containsExactlyInAnyOrder("ns/c/b", "ns/c/a", "ns/c/b");
  }

  @Test
  void validationOpensNothing() {
    CacheRuntime validation = CacheRuntime.forValidation();
    assertThat(validation.live()).isFalse();
    assertThatThrownBy(validation::embeddings).isInstanceOf(IllegalStateException.class);
  }
}
