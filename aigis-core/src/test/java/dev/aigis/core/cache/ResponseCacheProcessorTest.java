package dev.aigis.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.embedding.Embedder;
import dev.aigis.core.embedding.EmbeddingService;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.exchange.Workers;
import dev.aigis.core.processing.HeaderList;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.Verdict;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The processor's request side without a gateway: how lookups fail open and which requests are skipped. */
class ResponseCacheProcessorTest {

  private final List<String> lookups = new ArrayList<>();
  private final CacheObserver observer = new CacheObserver() {
    @Override
    public void lookup(String cache, String tier, String result) {
      lookups.add(tier + ":" + result);
    }
  };

  /** An embedding service whose queue is always full. */
  private static final EmbeddingService SATURATED = new EmbeddingService() {
    @Override
    public CompletionStage<float[]> embed(String text) {
      return CompletableFuture.failedFuture(new Workers.Saturated("embedding queue full"));
    }

    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public Embedder asEmbedder() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  };

  private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochMilli(5_000));

  private ResponseCacheProcessor processor(ResponseCacheStore store) {
    CacheRuntime runtime = new CacheRuntime(CLOCK, observer,
        SharedStoreFactory.NONE, () -> SATURATED);
    var settings = new ResponseCacheProcessor.Settings("default/cache/answers", true, true, Duration.ofMinutes(1),
        BigDecimal.ONE);
    return new ResponseCacheProcessor(settings, new CacheLookup(store, ParaphraseCheck.cosineOnly(0.9)), runtime);
  }

  private static ProcessedRequest request(String body, String... headers) {
    var context = new ExchangeContext("r1", ApiEndpoint.CHAT_COMPLETIONS, null);
    return new ProcessedRequest(context, "POST", "/v1/chat/completions", HeaderList.of(headers),
        body.getBytes(StandardCharsets.UTF_8), "m");
  }

  private static final String QUESTION = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi?\"}]}";

  @Test
  void aFullEmbeddingQueueIsAMissCountedAsAnErrorNotAFailure() {
    try (ResponseCacheStore store = ResponseCacheStore.memory(10, CLOCK)) {
      ResponseCacheProcessor processor = processor(store);
      Verdict verdict = processor.onRequestBody(request(QUESTION), processor.newState()).toCompletableFuture().join();
      assertThat(verdict).isEqualTo(Verdict.CONTINUE);
      assertThat(lookups).containsExactly("exact:miss", "semantic:error");
    }
  }

  @Test
  void anExactHitAnswersWithTheCompletionAndTheCacheHeadersWithoutEmbedding() {
    try (ResponseCacheStore store = ResponseCacheStore.memory(10, CLOCK)) {
      var keys = CacheKeys.of((com.fasterxml.jackson.databind.node.ObjectNode) dev.aigis.core.json.Json.MAPPER
          .valueToTree(java.util.Map.of("model", "m", "messages", List.of(java.util.Map.of("role", "user",
              "content", "Hi?")))));
      store.put(new CacheEntry("e1", keys.exactKey(), keys.partition(), null,
          "{\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,"
              + "\"completion_tokens\":4,\"total_tokens\":7}}", 0, 60_000));
      ResponseCacheProcessor processor = processor(store);
      Verdict verdict = processor.onRequestBody(request(QUESTION), processor.newState()).toCompletableFuture().join();
      assertThat(verdict).isInstanceOfSatisfying(Verdict.Answer.class, answer -> {
        assertThat(answer.detail()).isEqualTo("cache_hit");
        assertThat(answer.headers()).containsEntry("x-aigis-cache", List.of("hit"))
            .containsEntry("x-aigis-cache-tier", List.of("exact"))
            .containsEntry("x-aigis-cache-similarity", List.of("1.0000"));
        assertThat(answer.completion().at("/usage/total_tokens").asInt()).isEqualTo(7);
      });
      assertThat(lookups).containsExactly("exact:hit");
    }
  }

  @Test
  void noStoreNoCacheAHotRequestAndANonChatBodyAreNotLookedUp() {
    try (ResponseCacheStore store = ResponseCacheStore.memory(10, CLOCK)) {
      ResponseCacheProcessor processor = processor(store);
      for (ProcessedRequest skipped : List.of(request(QUESTION, "cache-control", "no-store"),
          request(QUESTION, "Cache-Control", "max-age=0, no-cache"),
          request("{\"model\":\"m\",\"temperature\":1.5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi?\"}]}"))) {
        assertThat(processor.onRequestBody(skipped, processor.newState()).toCompletableFuture().join())
            .isEqualTo(Verdict.CONTINUE);
      }
      var embeddings = new ExchangeContext("r2", ApiEndpoint.EMBEDDINGS, null);
      var notChat = new ProcessedRequest(embeddings, "POST", "/v1/embeddings", HeaderList.of(),
          "{\"model\":\"e\",\"input\":\"x\"}".getBytes(StandardCharsets.UTF_8), "e");
      assertThat(processor.onRequestBody(notChat, processor.newState()).toCompletableFuture().join())
          .isEqualTo(Verdict.CONTINUE);
      assertThat(lookups).isEmpty();
    }
  }

  private ResponseCacheProcessor scoped(ResponseCacheStore store, String scope) {
    CacheRuntime runtime = new CacheRuntime(CLOCK, observer, SharedStoreFactory.NONE, () -> SATURATED);
    var settings = new ResponseCacheProcessor.Settings("default/cache/answers", true, false, Duration.ofMinutes(1),
        BigDecimal.ONE, scope);
    return new ResponseCacheProcessor(settings, new CacheLookup(store, ParaphraseCheck.cosineOnly(0.9)), runtime);
  }

  private static ProcessedRequest asking(String name, String team, String address) {
    ProcessedRequest request = request(QUESTION);
    request.context().clientAddress(address);
    if (name != null) {
      request.context().attributes().put(dev.aigis.core.policy.PolicyAttributes.IDENTITY, new dev.aigis.core.identity.Identity(
          dev.aigis.core.identity.Identity.Kind.API_KEY, name, team, null, null, null, List.of(), null));
    }
    return request;
  }

  private static void storeFor(ResponseCacheStore store, String scope) throws Exception {
    var keys = CacheKeys.of((com.fasterxml.jackson.databind.node.ObjectNode) dev.aigis.core.json.Json.MAPPER
        .readTree(QUESTION), scope);
    store.put(new CacheEntry("e-" + scope, keys.exactKey(), keys.partition(), null,
        "{\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[]}", 0, 60_000));
  }

  private static boolean hit(ResponseCacheProcessor processor, ProcessedRequest request) {
    return processor.onRequestBody(request, processor.newState()).toCompletableFuture().join() instanceof Verdict.Answer;
  }

  @Test
  void aCallerScopedCacheServesAnAnswerOnlyToTheCallerItWasStoredFor() throws Exception {
    try (ResponseCacheStore store = ResponseCacheStore.memory(10, CLOCK)) {
      storeFor(store, "id:API_KEY:alice");
      ResponseCacheProcessor processor = scoped(store, "Caller");
      assertThat(hit(processor, asking("alice", "red", "10.0.0.1"))).isTrue();
      assertThat(hit(processor, asking("bob", "red", "10.0.0.1"))).as("another key, same address").isFalse();
      assertThat(hit(processor, asking(null, null, "10.0.0.1"))).as("no identity: its address").isFalse();
      assertThat(hit(scoped(store, "Shared"), asking("alice", "red", "10.0.0.1"))).as("not in the shared scope").isFalse();
    }
  }

  @Test
  void aTeamScopedCacheIsSharedWithinTheTeamAndACallerWithoutATeamIsAlone() throws Exception {
    try (ResponseCacheStore store = ResponseCacheStore.memory(10, CLOCK)) {
      storeFor(store, "team:red");
      storeFor(store, "addr:10.0.0.9");
      ResponseCacheProcessor processor = scoped(store, "Team");
      assertThat(hit(processor, asking("alice", "red", "10.0.0.1"))).isTrue();
      assertThat(hit(processor, asking("bob", "red", "10.0.0.2"))).isTrue();
      assertThat(hit(processor, asking("carol", "blue", "10.0.0.1"))).isFalse();
      assertThat(hit(processor, asking(null, null, "10.0.0.9"))).isTrue();
      assertThat(hit(processor, asking(null, null, "10.0.0.8"))).isFalse();
    }
  }
}