package dev.aigis.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.processing.ProcessorFactory;
import dev.aigis.model.processing.ResponseCacheSpec;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseCacheFactoryTest {

  /** An entry of PayloadProcessor default/cache named answers, with the given Secrets' password keys. */
  private static final class Entry implements ProcessorFactory.Entry {
    final List<String> errors = new ArrayList<>();
    final Map<String, String> passwords;

    Entry(Map<String, String> passwords) {
      this.passwords = passwords;
    }

    @Override
    public String name() {
      return "answers";
    }

    @Override
    public String chain() {
      return "default/cache";
    }

    @Override
    public byte[] secret(String name, String key) {
      String value = passwords.get(name);
      return value == null || !key.equals("password") ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void error(String field, String message) {
      errors.add(field + ": " + message);
    }
  }

  private static ResponseCacheSpec spec(ResponseCacheSpec.Store store) {
    return new ResponseCacheSpec(new ResponseCacheSpec.Exact(true), new ResponseCacheSpec.Semantic(true,
        new BigDecimal("0.9")), Duration.ofMinutes(5), 100, BigDecimal.ONE, store);
  }

  private static CacheRuntime live(SharedStoreFactory shared) {
    return new CacheRuntime(InstantSource.system(), CacheObserver.NONE, shared, () -> {
      throw new IllegalStateException("no embeddings here");
    });
  }

  @Test
  void aMemoryCacheCompilesOnItsOwnStore() {
    try (CacheRuntime runtime = live(SharedStoreFactory.NONE)) {
      Entry entry = new Entry(Map.of());
      assertThat(new ResponseCacheFactory(runtime).compile(spec(ResponseCacheSpec.Store.MEMORY), entry))
          .isInstanceOf(ResponseCacheProcessor.class);
      assertThat(entry.errors).isEmpty();
    }
  }

  @Test
  void aMissingPasswordSecretAndAStoreThatCannotOpenAreLocatedErrors() {
    var redis = new ResponseCacheSpec.Store(URI.create("redis://127.0.0.1:6379"), "redis-password", null);
    try (CacheRuntime runtime = live(SharedStoreFactory.NONE)) {
      Entry missing = new Entry(Map.of());
      assertThat(new ResponseCacheFactory(runtime).compile(spec(redis), missing)).isNull();
      assertThat(missing.errors).containsExactly("responseCache.store.redis.passwordSecret: Secret redis-password"
          + " (in the PayloadProcessor's namespace) has no non-empty key \"password\"");

      Entry unopened = new Entry(Map.of("redis-password", "s3cret"));
      assertThat(new ResponseCacheFactory(runtime).compile(spec(redis), unopened)).isNull();
      assertThat(unopened.errors).singleElement().asString()
          .startsWith("responseCache.store.redis: the cache store could not be opened: ").doesNotContain("s3cret");
    }
  }

  @Test
  void aSharedStoreGetsTheCacheNamePasswordAndSizeAndValidationOpensNothing() {
    List<SharedStoreSettings> opened = new ArrayList<>();
    var redis = new ResponseCacheSpec.Store(URI.create("redis://127.0.0.1:6379/2"), "redis-password",
        Duration.ofMillis(50));
    try (CacheRuntime runtime = live(settings -> {
      opened.add(settings);
      return ResponseCacheStore.memory(settings.maxEntries(), InstantSource.system());
    })) {
      Entry entry = new Entry(Map.of("redis-password", "s3cret\n"));
      assertThat(new ResponseCacheFactory(runtime).compile(spec(redis), entry)).isNotNull();
      assertThat(opened).singleElement().satisfies(settings -> {
        assertThat(settings.cacheName()).isEqualTo("default/cache/answers");
        assertThat(settings.password()).isEqualTo("s3cret");
        assertThat(settings.redisUrl()).isEqualTo(URI.create("redis://127.0.0.1:6379/2"));
        assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.maxEntries()).isEqualTo(100);
      });
    }
    Entry validating = new Entry(Map.of("redis-password", "s3cret"));
    assertThat(new ResponseCacheFactory(CacheRuntime.forValidation()).compile(spec(redis), validating)).isNotNull();
    assertThat(validating.errors).isEmpty();
  }
}
