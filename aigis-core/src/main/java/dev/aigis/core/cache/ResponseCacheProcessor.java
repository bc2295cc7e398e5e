package dev.aigis.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.exchange.ExchangeSummary;
import dev.aigis.core.json.Json;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ChunkVerdict;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.ResponseChunk;
import dev.aigis.core.processing.Verdict;
import dev.aigis.core.ratelimit.Prices;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code type: ResponseCache}: answers a chat request from an earlier answer, by its exact
 * normalised form or by a paraphrase of its last user message, and stores answers that ended well.
 *
 * <p>Request body stage: {@code Cache-Control: no-store} skips the cache both ways and
 * {@code no-cache} skips the lookup (the answer may still be stored); a request whose temperature
 * is above the bound is skipped both ways. The exact tier is looked up first, then the semantic
 * one: the question is embedded on the shared embedding service, the index searched on the
 * exchange's worker pool. A hit answers with {@link Verdict.Answer} (rendered in the client's
 * format, plain or streamed). A lookup that fails (store, embedding queue full, timeout) is a miss:
 * a cache fails open, and the request goes upstream as if there were none.
 *
 * <p>Response side: the answer passes through untouched while {@link AnswerCollector} reads its
 * pivot form; the {@code onComplete} hook stores it if the exchange succeeded (status 200, no error,
 * a text answer that finished normally) with the usage the exchange reported.
 */
public final class ResponseCacheProcessor implements Processor {

  public static final String HEADER = "x-aigis-cache";
  public static final String TIER_HEADER = "x-aigis-cache-tier";
  public static final String SIMILARITY_HEADER = "x-aigis-cache-similarity";
  /** Why a request was not looked up: {@code no-store}, {@code no-cache}, {@code temperature}, {@code not-chat}. */
  public static final String SKIP_HEADER = "x-aigis-cache-skip";

  private static final ProcessorNeeds NEEDS = new ProcessorNeeds(false, BodyMode.BUFFERED, true, BodyMode.BUFFERED, 0);

  /**
   * @param name {@code namespace/name/entry}: metrics and logs call the cache by it
   * @param exact whether the exact tier is on
   * @param semantic whether the semantic tier is on
   * @param maxTemperature requests above it are not cached; absent temperature counts as 1
   * @param scope who shares answers: {@code Shared}, {@code Team} or {@code Caller}
   */
  public record Settings(String name, boolean exact, boolean semantic, Duration ttl, BigDecimal maxTemperature,
      String scope) {

    /** Shared by every caller. */
    public Settings(String name, boolean exact, boolean semantic, Duration ttl, BigDecimal maxTemperature) {
      this(name, exact, semantic, ttl, maxTemperature, "Shared");
    }
  }

  private final Settings settings;
  private final CacheLookup lookup;
  private final CacheRuntime runtime;

  public ResponseCacheProcessor(Settings settings, CacheLookup lookup, CacheRuntime runtime) {
    this.settings = settings;
    this.lookup = lookup;
    this.runtime = runtime;
  }

  @Override
  public ProcessorNeeds needs() {
    return NEEDS;
  }

  /** Per exchange: what the request was and what the answer is. */
  static final class State implements ExchangeState {
    CacheKeys.Keys keys;
    float[] vector;
    String model;
    boolean store;
    String responseHeader;
    String skip;
    AnswerCollector answer;

    @Override
    public void close() {}
  }

  @Override
  public ExchangeState newState() {
    return new State();
  }

  @Override
  public CompletionStage<Verdict> onRequestBody(ProcessedRequest request, ExchangeState exchangeState) {
    State state = (State) exchangeState;
    ExchangeContext context = request.context();
    ObjectNode pivot = context.pivot().requestOrNull();
    if (pivot == null) {
      state.skip = "not-chat"; // embeddings, passthrough: nothing this cache can serve
      return done(Verdict.CONTINUE);
    }
    String cacheControl = lower(request.headers().get("cache-control"));
    boolean noStore = cacheControl.contains("no-store");
    boolean noCache = cacheControl.contains("no-cache");
    JsonNode temperature = pivot.path("temperature");
    BigDecimal asked = temperature.isNumber() ? temperature.decimalValue()
        : dev.aigis.model.processing.ResponseCacheSpec.DEFAULT_REQUEST_TEMPERATURE;
    state.responseHeader = "miss";
    if (noStore) {
      state.skip = "no-store";
      return done(Verdict.CONTINUE);
    }
    if (asked.compareTo(settings.maxTemperature()) > 0) {
      state.skip = "temperature";
      return done(Verdict.CONTINUE);
    }
    state.keys = CacheKeys.of(pivot, scope(context));
    state.model = pivot.path("model").asText(request.model());
    state.store = true;
    state.answer = new AnswerCollector();
    context.onComplete(summary -> store(context, state, summary));
    if (noCache) {
      state.skip = "no-cache";
      return done(Verdict.CONTINUE);
    }
    long now = runtime.clock().millis();
    CompletionStage<CacheLookup.Hit> found = settings.exact()
        ? observed("exact", lookup.exact(state.keys, now)) : CompletableFuture.completedFuture(null);
    return found.thenCompose(hit -> {
      if (hit != null || !settings.semantic() || state.keys.question() == null) {
        return CompletableFuture.completedFuture(hit);
      }
      return observed("semantic", semantic(context, state, now));
    }).thenApply(hit -> hit == null ? Verdict.CONTINUE : answer(hit));
  }

  /** Embeds the question, then searches on a worker; the vector is kept for storing the answer. */
  private CompletionStage<CacheLookup.Hit> semantic(ExchangeContext context, State state, long now) {
    CompletionStage<float[]> vector;
    try {
      vector = runtime.embeddings().embed(state.keys.question());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return vector.thenCompose(v -> {
      state.vector = v;
      if (context.workers() == null) {
        return lookup.semantic(state.keys, v, now);
      }
      return context.workers().submit(() -> lookup.semantic(state.keys, v, now).toCompletableFuture().join());
    });
  }

  /** Counts a tier's lookup; a failed one is a miss (fail open), counted as an error. */
  private CompletionStage<CacheLookup.Hit> observed(String tier, CompletionStage<CacheLookup.Hit> stage) {
    return stage.handle((hit, error) -> {
      runtime.observer().lookup(settings.name(), tier, error != null ? "error" : hit != null ? "hit" : "miss");
      return error != null ? null : hit;
    });
  }

  private Verdict answer(CacheLookup.Hit hit) {
    ObjectNode completion;
    try {
      completion = (ObjectNode) Json.MAPPER.readTree(hit.entry().completion());
    } catch (IOException | ClassCastException e) {
      return Verdict.CONTINUE; // a corrupt entry is a miss
    }
    TokenUsage read = dev.aigis.core.usage.OpenAiUsage.from(completion.path("usage"));
    TokenUsage usage = read == null ? TokenUsage.NONE : read; // an entry without usage saved nothing countable
    long nanoUsd = Prices.shipped().lookup(completion.path("model").asText())
        .map(price -> Prices.nanoUsd(usage, price)).orElse(0L);
    runtime.observer().saved(settings.name(), usage.input(), usage.output(), nanoUsd);
    Map<String, List<String>> headers = Map.of(
        HEADER, List.of("hit"),
        TIER_HEADER, List.of(hit.tier()),
        SIMILARITY_HEADER, List.of(String.format(Locale.ROOT, "%.4f", hit.similarity())));
    return new Verdict.Answer(completion, "cache_hit", headers);
  }

  @Override
  public CompletionStage<Verdict> onResponseHeaders(ProcessedRequest request, ProcessedResponse response,
      ExchangeState exchangeState) {
    State state = (State) exchangeState;
    if (state.responseHeader != null) {
      response.headers().set(HEADER, state.responseHeader);
      if (state.skip != null) {
        response.headers().set(SKIP_HEADER, state.skip);
      }
    }
    if (response.status() != 200) {
      state.store = false;
    }
    return done(Verdict.CONTINUE);
  }

  @Override
  public CompletionStage<ChunkVerdict> onResponseChunk(ProcessedRequest request, ProcessedResponse response,
      ResponseChunk chunk, ExchangeState exchangeState) {
    State state = (State) exchangeState;
    if (state.store && state.answer != null && (chunk.bytes().length > 0 || chunk.pivot() != null)) {
      ObjectNode pivot = chunk.pivot() != null ? chunk.pivot() : OpenAiChatPivots.read(request, chunk);
      if (chunk.sseEvent()) {
        if (pivot != null || !ignorable(request, chunk.bytes())) {
          state.answer.accept(pivot, false);
        }
      } else if (chunk.endOfStream()) {
        state.answer.accept(pivot, true);
      }
    }
    return CompletableFuture.completedFuture(ChunkVerdict.pass(chunk));
  }

  /** An event with no pivot that carries no text either ({@code [DONE]}, pings, block boundaries). */
  private static boolean ignorable(ProcessedRequest request, byte[] event) {
    return dev.aigis.core.api.text.ResponseText.of(request.context().endpoint()).kind(event)
        == dev.aigis.core.api.text.EventKind.NONE;
  }

  /** The onComplete hook: stores a successful answer, off the event loop. */
  private void store(ExchangeContext context, State state, ExchangeSummary summary) {
    if (summary.answeredByProcessor()) {
      return; // a hit (ours or another processor's answer): nothing new to store
    }
    if (!state.store || summary.status() != 200 || summary.errorCode() != null || !state.answer.cacheable()) {
      runtime.observer().stored(settings.name(), "skipped");
      runtime.storeFinished();
      return;
    }
    long now = runtime.clock().millis();
    String id = UUID.randomUUID().toString();
    ObjectNode completion = state.answer.completion(state.model, summary.usage(), now / 1000, id);
    String question = state.keys.question();
    CompletionStage<float[]> vector = !settings.semantic() || question == null
        ? CompletableFuture.completedFuture(null)
        : state.vector != null ? CompletableFuture.completedFuture(state.vector) : embed(question);
    vector.exceptionally(error -> null).thenCompose(v -> {
      CacheEntry entry = new CacheEntry(id, state.keys.exactKey(), state.keys.partition(), v, completion.toString(),
          now, now + settings.ttl().toMillis(), v == null ? null : question);
      if (context.workers() == null) {
        return lookup.store().put(entry);
      }
      return context.workers().submit(() -> lookup.store().put(entry)).thenCompose(stage -> stage);
    }).whenComplete((ok, error) -> {
      runtime.observer().stored(settings.name(), error == null ? "stored" : "error");
      runtime.storeFinished();
    });
  }

  private CompletionStage<float[]> embed(String question) {
    try {
      return runtime.embeddings().embed(question);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static String lower(String value) {
    return value == null ? "" : value.toLowerCase(Locale.ROOT);
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /** The key of who may share this request's answers ("" for everyone). */
  private String scope(ExchangeContext context) {
    return switch (settings.scope()) {
      case "Caller" -> dev.aigis.core.policy.PolicyAttributes.caller(context);
      case "Team" -> {
        var identity = context.attributes().get(dev.aigis.core.policy.PolicyAttributes.IDENTITY);
        yield identity != null && identity.team() != null ? "team:" + identity.team()
            : dev.aigis.core.policy.PolicyAttributes.caller(context); // no team: alone
      }
      default -> "";
    };
  }
}