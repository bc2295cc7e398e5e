package dev.aigis.core.guard.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.embedding.Embedder;
import dev.aigis.core.embedding.MiniLmEmbedder;
import dev.aigis.core.guard.classify.BinaryMetrics;
import dev.aigis.core.guard.classify.LogisticRegression;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Trains the output filter's head on a JSONL file of answers ({@code text}, {@code label} 1 =
 * harmful, {@code source}) for {@code aigis guard train --detector output}.
 *
 * <p>An answer's label says that some part of it is harmful, not which: a jailbroken reply often
 * opens with a refusal. The head judges windows, so it is trained as multiple-instance learning:
 * every window of a safe answer is a negative; at first every window of a harmful answer is a
 * positive, then (for {@link #ROUNDS} rounds) only the windows the current head scores highest in
 * each harmful answer (its best one and any at 0.5 or more). An answer's score is its best window's.
 *
 * <p>Quality is measured out of fold (stratified k-fold over answers, every window of an answer in
 * one fold) and across sources (trained on GPTFuzz, scored on JailbreakBench, which other models
 * and attacks produced). The shipped threshold is the lowest whose out-of-fold false-positive rate
 * is at most {@link #MAX_FPR}. Deterministic for a seed. Blocking and CPU-heavy: embedding a
 * fresh data set takes minutes; embeddings are cached under the cache directory (a build directory).
 */
public final class OutputTrainer {

  public static final double MAX_FPR = 0.03;
  static final int ROUNDS = 2;
  /** Stronger L2 than the default: it generalised better across sources (see {@link OutputFeatures#EMBEDDING_SCALE}). */
  private static final LogisticRegression.Settings BASE = new LogisticRegression.Settings(400, 0.05, 1e-2, 7);

  /** Detection figures of a set of scored answers at one threshold. */
  public record Metrics(int rows, double precision, double recall, double f1, double fpr, double auc, double threshold) {
    static Metrics of(double[] scores, int[] labels, double threshold) {
      var m = new BinaryMetrics(scores, labels);
      var at = m.at(threshold);
      return new Metrics(scores.length, at.precision(), at.recall(), at.f1(), at.fpr(), m.auc(), threshold);
    }

    private static double round(double v) {
      return Math.round(v * 10000) / 10000.0;
    }

    Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("rows", rows);
      map.put("precision", round(precision));
      map.put("recall", round(recall));
      map.put("f1", round(f1));
      map.put("fpr", round(fpr));
      map.put("auc", round(auc));
      map.put("threshold", round(threshold));
      return map;
    }
  }

  /**
   * @param model the model JSON to save as {@code guard/output-model.json} (weights and meta)
   * @param outOfFold k-fold figures at the chosen threshold
   * @param acrossSources trained on one source family, scored on the other, at the chosen threshold
   */
  public record Result(ObjectNode model, Metrics outOfFold, Metrics acrossSources) {}

  private record Row(String text, int label, String source) {}

  /** One answer's windows as feature rows, and whether the rules alone flag any of them. */
  private record Answer(float[][] windows, boolean ruleFlag) {}

  private OutputTrainer() {}

  /** Trains with the process-wide embedder, caching embeddings under {@code target/guard-cache}. */
  public static Result train(Path data, long seed, int folds) {
    return train(data, seed, folds, Path.of("target", "guard-cache"), MiniLmEmbedder.shared(), List.of());
  }

  /**
   * @param negatives further JSONL files whose label-0 rows ({@code text}, {@code label}) join every
   *     training fold as safe texts, never the scored folds: answer sets are mostly refusals and
   *     jailbroken replies, and without ordinary benign text the head learns that any answer
   *     without a refusal is harmful
   */
  public static Result train(Path data, long seed, int folds, Path cacheDirectory, Embedder embedder, List<Path> negatives) {
    if (folds < 2) {
      throw new IllegalArgumentException("folds must be at least 2");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + data, e);
    }
    List<Row> rows = parse(bytes, data);
    int scored = rows.size();
    List<String> negativeHashes = new ArrayList<>();
    for (Path file : negatives) {
      try {
        byte[] extra = Files.readAllBytes(file);
        negativeHashes.add(file.getFileName() + " " + EmbeddingCache.sha256(extra));
        parse(extra, file).stream().filter(r -> r.label() == 0).map(r -> new Row(r.text(), 0, "negatives:" + file.getFileName()))
            .forEach(rows::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    var features = new OutputFeatures(embedder, Exemplars.load(Exemplars.RESOURCE, embedder),
        OutputRules.fromResource(OutputFilter.RULES));
    var cache = new EmbeddingCache(embedder, cacheDirectory);
    List<Answer> answers = new ArrayList<>(rows.size());
    try {
      for (Row row : rows) {
        answers.add(featurise(row.text(), features, cache));
      }
    } finally {
      cache.save();
    }
    int[] allLabels = rows.stream().mapToInt(Row::label).toArray();
    int[] labels = java.util.Arrays.copyOf(allLabels, scored);
    int[] fold = java.util.Arrays.copyOf(folds(labels, folds, seed), rows.size());
    java.util.Arrays.fill(fold, scored, rows.size(), -1);

    double[] oof = new double[scored];
    for (int k = 0; k < folds; k++) {
      int f = k;
      LogisticRegression head = fit(answers, allLabels, i -> fold[i] != f, seed);
      for (int i = 0; i < scored; i++) {
        if (fold[i] == f) {
          oof[i] = score(head, answers.get(i));
        }
      }
    }
    double threshold = new BinaryMetrics(oof, labels).thresholdAtFpr(MAX_FPR);
    Metrics outOfFold = Metrics.of(oof, labels, threshold);

    IntPredicate gptFuzz = i -> i >= scored || rows.get(i).source().startsWith("sherdencooper/GPTFuzz");
    LogisticRegression onGptFuzz = fit(answers, allLabels, gptFuzz, seed);
    List<Double> across = new ArrayList<>();
    List<Integer> acrossLabels = new ArrayList<>();
    for (int i = 0; i < scored; i++) {
      if (!gptFuzz.test(i)) {
        across.add(score(onGptFuzz, answers.get(i)));
        acrossLabels.add(labels[i]);
      }
    }
    Metrics acrossSources = across.isEmpty() ? null : Metrics.of(
        across.stream().mapToDouble(Double::doubleValue).toArray(),
        acrossLabels.stream().mapToInt(Integer::intValue).toArray(), threshold);

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("detector", "output");
    meta.put("threshold", threshold);
    meta.put("windowChars", OutputModel.DEFAULT_WINDOW);
    meta.put("step", OutputModel.DEFAULT_STEP);
    meta.put("maxWindows", OutputModel.DEFAULT_MAX_WINDOWS);
    meta.put("embedder", "all-MiniLM-L6-v2-q, maxTokens " + embedder.maxTokens());
    meta.put("embeddingScale", OutputFeatures.EMBEDDING_SCALE);
    meta.put("features", features.names());
    meta.put("data", data.getFileName().toString());
    meta.put("dataSha256", EmbeddingCache.sha256(bytes));
    meta.put("exemplarsSha256", resourceSha256(Exemplars.RESOURCE));
    meta.put("rulesSha256", resourceSha256(OutputFilter.RULES));
    meta.put("seed", seed);
    meta.put("negatives", negativeHashes);
    meta.put("split", folds + "-fold stratified by label over answers (seeded shuffle), windows of an answer in one fold;"
        + " extra negatives in every training fold, never scored; final head on all rows; threshold = lowest with out-of-fold FPR <= " + MAX_FPR);
    meta.put("training", "multiple-instance: " + ROUNDS + " rounds; logistic regression epochs " + BASE.epochs()
        + ", learning rate " + BASE.learningRate() + ", l2 " + BASE.l2());
    meta.put("outOfFold", outOfFold.toMap());
    List<Map<String, Object>> curve = new ArrayList<>();
    var oofMetrics = new BinaryMetrics(oof, labels);
    for (double budget : new double[] {0.01, 0.02, 0.05, 0.10}) {
      Map<String, Object> point = new LinkedHashMap<>();
      point.put("maxFpr", budget);
      point.putAll(Metrics.of(oof, labels, oofMetrics.thresholdAtFpr(budget)).toMap());
      curve.add(point);
    }
    meta.put("outOfFoldCurve", curve);
    if (acrossSources != null) {
      meta.put("acrossSources", Map.of("train", "GPTFuzz rows", "test", "JailbreakBench rows", "metrics", acrossSources.toMap()));
    }
    LogisticRegression shipped = fit(answers, allLabels, i -> true, seed, meta);
    return new Result(shipped.toJson(), outOfFold, acrossSources);
  }

  private static Answer featurise(String text, OutputFeatures features, EmbeddingCache cache) {
    List<Windows.Span> spans = Windows.spans(text, OutputModel.DEFAULT_WINDOW, OutputModel.DEFAULT_STEP, OutputModel.DEFAULT_MAX_WINDOWS);
    float[][] windows = new float[spans.size()][];
    boolean ruleFlag = false;
    for (int w = 0; w < spans.size(); w++) {
      int start = spans.get(w).start();
      String window = text.substring(start, spans.get(w).end());
      String before = text.substring(Math.max(0, start - OutputFeatures.CONTEXT), start);
      OutputFeatures.Window fw = features.window(window, before, cache.embed(window));
      windows[w] = fw.x();
      ruleFlag |= fw.ruleFlag();
    }
    return new Answer(windows, ruleFlag);
  }

  /** An answer's score as {@link OutputFilter#score} computes it. */
  private static double score(LogisticRegression head, Answer answer) {
    double best = answer.ruleFlag() ? 1.0 : 0;
    for (float[] x : answer.windows()) {
      best = Math.max(best, head.probability(x));
    }
    return best;
  }

  private static LogisticRegression fit(List<Answer> answers, int[] labels, IntPredicate use, long seed) {
    return fit(answers, labels, use, seed, Map.of());
  }

  private static LogisticRegression fit(List<Answer> answers, int[] labels, IntPredicate use, long seed, Map<String, Object> meta) {
    var settings = new LogisticRegression.Settings(BASE.epochs(), BASE.learningRate(), BASE.l2(), seed);
    LogisticRegression head = null;
    for (int round = 0; round <= ROUNDS; round++) {
      List<float[]> x = new ArrayList<>();
      List<Integer> y = new ArrayList<>();
      for (int i = 0; i < answers.size(); i++) {
        if (!use.test(i)) {
          continue;
        }
        float[][] windows = answers.get(i).windows();
        if (labels[i] == 0 || head == null) {
          for (float[] w : windows) {
            x.add(w);
            y.add(labels[i]);
          }
          continue;
        }
        int best = 0;
        double bestP = -1;
        for (int w = 0; w < windows.length; w++) {
          double p = head.probability(windows[w]);
          if (p > bestP) {
            bestP = p;
            best = w;
          }
          if (p >= 0.5) {
            x.add(windows[w]);
            y.add(1);
          }
        }
        if (bestP < 0.5) {
          x.add(windows[best]);
          y.add(1);
        }
      }
      head = LogisticRegression.train(x.toArray(float[][]::new), y.stream().mapToInt(Integer::intValue).toArray(), settings, meta);
    }
    return head;
  }

  private static int[] folds(int[] labels, int folds, long seed) {
    int[] fold = new int[labels.length];
    Random random = new Random(seed);
    for (int label = 0; label <= 1; label++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == label) {
          members.add(i);
        }
      }
      java.util.Collections.shuffle(members, random);
      for (int j = 0; j < members.size(); j++) {
        fold[members.get(j)] = j % folds;
      }
    }
    return fold;
  }

  private static List<Row> parse(byte[] bytes, Path data) {
    List<Row> rows = new ArrayList<>();
    String[] lines = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\n");
    for (int n = 0; n < lines.length; n++) {
      if (lines[n].isBlank()) {
        continue;
      }
      try {
        JsonNode node = Json.MAPPER.readTree(lines[n]);
        int label = node.path("label").asInt(-1);
        if (label != 0 && label != 1 || !node.path("text").isTextual()) {
          throw new IllegalArgumentException(data + " line " + (n + 1) + ": needs text and label 0 or 1");
        }
        rows.add(new Row(node.get("text").asText(), label, node.path("source").asText("")));
      } catch (IOException e) {
        throw new IllegalArgumentException(data + " line " + (n + 1) + " is not JSON", e);
      }
    }
    return rows;
  }

  private static String resourceSha256(String name) {
    try (InputStream in = OutputTrainer.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? "" : EmbeddingCache.sha256(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
