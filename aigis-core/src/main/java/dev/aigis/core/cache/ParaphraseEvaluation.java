package dev.aigis.core.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.embedding.Embedder;
import dev.aigis.core.json.Json;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code aigis cache eval}'s measurement: for each pair, {@code a} is stored in a fresh cache as the
 * answer to a single-turn question to one model, and {@code b} is asked, through the same
 * {@link CacheLookup} the processor uses (exact tier, then the semantic tier with the given check).
 * Precision is the share of hits whose pair is labelled a paraphrase.
 */
public final class ParaphraseEvaluation {

  /** One labelled pair. */
  public record Pair(String id, String a, String b, int label, String source) {}

  /** One pair's outcome: whether {@code b} was served {@code a}'s answer, and the cosine of the two. */
  public record Outcome(Pair pair, boolean hit, double similarity) {}

  /** Figures over a set of pairs. */
  public record Figures(int pairs, int hits, int correctHits, int positives) {
    public double hitPrecision() {
      return hits == 0 ? 1.0 : (double) correctHits / hits;
    }

    public double hitRate() {
      return pairs == 0 ? 0 : (double) hits / pairs;
    }

    /** Hits among the labelled paraphrases. */
    public double recall() {
      return positives == 0 ? 0 : (double) correctHits / positives;
    }
  }

  private ParaphraseEvaluation() {}

  public static List<Outcome> run(List<Pair> pairs, Embedder embedder, ParaphraseCheck check) {
    List<String> texts = new ArrayList<>(pairs.size() * 2);
    pairs.forEach(p -> {
      texts.add(p.a());
      texts.add(p.b());
    });
    List<float[]> vectors = embedder.embedAll(texts);
    List<Outcome> out = new ArrayList<>(pairs.size());
    long now = 1_000_000L;
    InstantSource clock = InstantSource.fixed(java.time.Instant.ofEpochMilli(now));
    for (int i = 0; i < pairs.size(); i++) {
      Pair pair = pairs.get(i);
      float[] va = vectors.get(2 * i);
      float[] vb = vectors.get(2 * i + 1);
      try (ResponseCacheStore store = ResponseCacheStore.memory(16, clock)) {
        CacheLookup lookup = new CacheLookup(store, check);
        CacheKeys.Keys cached = CacheKeys.of(question(pair.a()));
        store.put(new CacheEntry("a", cached.exactKey(), cached.partition(), va, "{}", now, now + 60_000,
            cached.question()));
        CacheKeys.Keys asked = CacheKeys.of(question(pair.b()));
        CacheLookup.Hit hit = lookup.exact(asked, now).toCompletableFuture().join();
        if (hit == null) {
          hit = lookup.semantic(asked, vb, now).toCompletableFuture().join();
        }
        out.add(new Outcome(pair, hit != null, Embedder.cosine(va, vb)));
      }
    }
    return out;
  }

  /** A single-turn chat request to one model: every pair's two questions share a partition. */
  static ObjectNode question(String text) {
    ObjectNode pivot = Json.MAPPER.createObjectNode();
    pivot.put("model", "eval");
    pivot.putArray("messages").addObject().put("role", "user").put("content", text);
    return pivot;
  }

  public static Figures figures(List<Outcome> outcomes) {
    int hits = 0;
    int correct = 0;
    int positives = 0;
    for (Outcome o : outcomes) {
      positives += o.pair().label();
      if (o.hit()) {
        hits++;
        correct += o.pair().label();
      }
    }
    return new Figures(outcomes.size(), hits, correct, positives);
  }

  /** Figures per {@code source}, sorted by source. */
  public static Map<String, Figures> bySource(List<Outcome> outcomes) {
    Map<String, List<Outcome>> groups = new TreeMap<>();
    outcomes.forEach(o -> groups.computeIfAbsent(o.pair().source(), s -> new ArrayList<>()).add(o));
    Map<String, Figures> out = new TreeMap<>();
    groups.forEach((source, group) -> out.put(source, figures(group)));
    return out;
  }
}
