package dev.aigis.core.guard.output;

import dev.aigis.core.embedding.Embedder;
import dev.aigis.core.guard.signature.SignatureHit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The classifier's view of one window of an answer: its embedding, its similarity to each exemplar
 * group, lexical cues of the window and of the text just before it, and the weight of the category
 * rules it matches. Thread-safe; {@link #window} embeds, so it is blocking CPU work (a few ms).
 */
final class OutputFeatures {

  /** Characters before a window read for context cues (a refusal that opened the answer). */
  static final int CONTEXT = 600;
  /**
   * Combined rule weight ({@code 1 − Π(1 − weight)}) at which the rules flag a window alone (when
   * it has no refusal): two rules of 0.5, or one of 0.6 with one of 0.4, or a rule of 0.75 or more.
   */
  static final double RULE_FLAG = 0.75;
  /**
   * The embedding enters the head scaled down, which regularises its 384 weights more strongly than
   * the 30 or so others: with it at full scale the head learnt one data source's style (trained on
   * GPTFuzz answers, AUC 0.91 on JailbreakBench's; scaled by half with L2 0.01, 0.944).
   */
  static final float EMBEDDING_SCALE = 0.5f;

  /** One window, judged. */
  record Window(float[] x, float[] similarities, List<SignatureHit> hits, double ruleWeight, boolean refuses) {
    boolean ruleFlag() {
      return ruleWeight >= RULE_FLAG && !refuses;
    }
  }

  private final Embedder embedder;
  private final Exemplars exemplars;
  private final OutputRules rules;

  OutputFeatures(Embedder embedder, Exemplars exemplars, OutputRules rules) {
    this.embedder = embedder;
    this.exemplars = exemplars;
    this.rules = rules;
  }

  Embedder embedder() {
    return embedder;
  }

  Exemplars exemplars() {
    return exemplars;
  }

  OutputRules rules() {
    return rules;
  }

  int dimension() {
    return embedder.dimension() + exemplars.groups().size() + Cues.COUNT + 1;
  }

  /** Feature names in vector order, for the model's metadata. */
  List<String> names() {
    List<String> names = new ArrayList<>();
    names.add("embedding[" + embedder.dimension() + "]");
    exemplars.groups().forEach(g -> names.add("similar:" + g));
    names.addAll(List.of(Cues.NAMES));
    names.add("rule_weight");
    return names;
  }

  /** Features of {@code window}, with {@code before} the text that precedes it (at most {@link #CONTEXT} chars read). */
  Window window(String window, String before) {
    return window(window, before, embedder.embed(window));
  }

  /** As {@link #window(String, String)} with the window's embedding already known (training reads a cache). */
  Window window(String window, String before, float[] embedding) {
    float[] sims = exemplars.similarities(embedding);
    List<SignatureHit> hits = rules.match(window);
    double weight = OutputRules.weight(hits);
    String context = before.length() > CONTEXT ? before.substring(before.length() - CONTEXT) : before;
    float[] x = new float[dimension()];
    for (int i = 0; i < embedding.length; i++) {
      x[i] = embedding[i] * EMBEDDING_SCALE;
    }
    int at = embedding.length;
    System.arraycopy(sims, 0, x, at, sims.length);
    at += sims.length;
    Cues.features(window, context, x, at);
    boolean refuses = x[at] > 0;
    at += Cues.COUNT;
    x[at] = (float) weight;
    return new Window(x, sims, hits, weight, refuses);
  }

  /**
   * The category of the heaviest matching rule when the rules alone flag {@code text} (weights
   * reach {@link #RULE_FLAG}, no refusal), else null: the per-delta check of a stream.
   */
  String ruleCategory(String text) {
    List<SignatureHit> hits = rules.match(text);
    double weight = OutputRules.weight(hits);
    if (weight < RULE_FLAG || Cues.refuses(text)) {
      return null;
    }
    return hits.stream().max(Comparator.comparingDouble(SignatureHit::weight)).orElseThrow().category();
  }
}
