package dev.aigis.core.guard.injection;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aigis.core.embedding.Embedder;
import dev.aigis.core.guard.classify.BinaryMetrics;
import dev.aigis.core.guard.classify.LogisticRegression;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Trains the injection detector from a labelled JSONL file: embeds every row (through a file cache),
 * fits the classifier, measures it out of fold under two schemes (whole sources held out, and
 * random stratified folds), fits the combiner on out-of-fold classifier logits, picks the shipped
 * threshold from out-of-fold combined scores, and writes the model with its metadata.
 *
 * <p>The same data, options and seed give the same file byte for byte: folds, training and the
 * embedder are deterministic and the metadata holds no clock.
 */
public final class InjectionTrainer {

  /** Benign categories whose false-positive rate has its own budget (trigger words, role play). */
  static final List<String> GUARDED_CATEGORIES = List.of("benign-trigger-words", "benign-roleplay");

  /**
   * Benign categories that look like attacks on the surface (trigger words, safety questions,
   * clean documents of the kind injections hide in): few rows, so each counts several times in
   * training, which teaches the classifier that the words alone are not the attack.
   */
  static final List<String> HARD_NEGATIVES = List.of("benign-trigger-words", "benign-over-defence", "benign-document");

  /** How cross-validation splits the rows. */
  public enum Scheme {
    /** Whole sources (upstream repositories) per fold: the nearest to data from elsewhere. */
    GROUPED,
    /** Random folds stratified by label. */
    RANDOM
  }

  /**
   * @param thresholdScheme whose out-of-fold scores pick the threshold
   * @param maxFpr the overall false-positive budget the threshold is picked for
   * @param categoryMaxFpr the budget on each of {@link #GUARDED_CATEGORIES}
   * @param cacheFile the embedding cache (under {@code target/})
   */
  public record Options(
      Path data,
      Path out,
      long seed,
      int folds,
      Scheme thresholdScheme,
      double maxFpr,
      double categoryMaxFpr,
      InjectionFeatures features,
      double l2,
      int epochs,
      int hardNegativeRepeat,
      Path cacheFile) {

    public static Options defaults(Path data, Path out) {
      return new Options(data, out, 7, 5, Scheme.RANDOM, 0.01, 0.05, InjectionFeatures.DEFAULT, 1e-4, 300, 4,
          Path.of("target", "guard-cache", "injection-embeddings.bin"));
    }
  }

  /** The trained model and what was measured (also in the model's {@code meta}). */
  public record Result(InjectionModel model, Map<String, Object> meta) {}

  private final Embedder embedder;
  private final PreparedText.Preparer preparer;

  /** @param preparer must be the one the shipped detector uses, or scores will not match */
  public InjectionTrainer(Embedder embedder, PreparedText.Preparer preparer) {
    this.embedder = embedder;
    this.preparer = preparer;
  }

  /** Trains and writes {@code options.out()} (unless null); blocking, a minute or two. */
  public Result train(Options options) throws IOException {
    List<TrainingRow> rows = TrainingRow.read(options.data());
    int n = rows.size();
    int[] y = new int[n];
    List<PreparedText> prepared = new ArrayList<>(n);
    float[][] x = new float[n][];
    InjectionFeatures features = options.features();
    try (EmbeddingCache cache = new EmbeddingCache(embedder, options.cacheFile())) {
      for (int i = 0; i < n; i++) {
        TrainingRow row = rows.get(i);
        y[i] = row.label();
        PreparedText p = preparer.prepare(row.text());
        prepared.add(p);
        x[i] = features.assemble(cache.embed(features.window(p.folded())), features.lexical(p.folded()));
      }
    }
    LogisticRegression.Settings settings =
        new LogisticRegression.Settings(options.epochs(), 0.05, options.l2(), options.seed());

    Map<Scheme, double[]> oofLogits = new TreeMap<>();
    Map<Scheme, double[]> oofScores = new TreeMap<>();
    for (Scheme scheme : Scheme.values()) {
      int[] fold = scheme == Scheme.GROUPED
          ? Folds.grouped(rows.stream().map(TrainingRow::group).toList(), options.folds())
          : Folds.stratified(y, options.folds(), options.seed());
      double[] logits = outOfFoldLogits(x, y, repeats(rows, options), fold, options.folds(), settings);
      oofLogits.put(scheme, logits);
      oofScores.put(scheme, outOfFoldCombined(logits, prepared, y, fold, options.folds(), options.seed()));
    }
    double threshold = pickThreshold(oofScores.get(options.thresholdScheme()), rows, options);

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("data", options.data().getFileName().toString());
    meta.put("data_sha256", sha256(options.data()));
    meta.put("rows", n);
    meta.put("positives", java.util.Arrays.stream(y).sum());
    meta.put("seed", options.seed());
    meta.put("folds", options.folds());
    meta.put("fold_scheme", "threshold from " + options.thresholdScheme().name().toLowerCase()
        + " " + options.folds() + "-fold out-of-fold scores (grouped = whole source repositories per fold)");
    meta.put("feature_spec", InjectionFeatures.VERSION);
    meta.put("embedder", "all-MiniLM-L6-v2 int8, max " + embedder.maxTokens() + " tokens");
    meta.put("l2", options.l2());
    meta.put("epochs", options.epochs());
    meta.put("hard_negative_repeat", options.hardNegativeRepeat());
    meta.put("max_fpr", options.maxFpr());
    meta.put("category_max_fpr", options.categoryMaxFpr());
    meta.put("threshold", round(threshold));
    Map<String, Object> oof = new LinkedHashMap<>();
    for (Scheme scheme : Scheme.values()) {
      oof.put(scheme.name().toLowerCase(), metrics(oofScores.get(scheme), rows, y, threshold));
      oof.put(scheme.name().toLowerCase() + "_classifier_only_auc",
          round(new BinaryMetrics(oofLogits.get(scheme), y).auc()));
    }
    meta.put("oof", oof);

    int[] noFold = new int[n];
    java.util.Arrays.fill(noFold, -1);
    LogisticRegression classifier = fit(x, y, repeats(rows, options), noFold, 0, settings);
    LogisticRegression combiner = trainCombiner(oofLogits.get(options.thresholdScheme()), prepared, y, all(n), options.seed());
    InjectionModel model = new InjectionModel(features, classifier, InjectionModel.Combiner.of(combiner), threshold, meta);
    if (options.out() != null) {
      Files.createDirectories(options.out().toAbsolutePath().getParent());
      String json = Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(model.toJson());
      Files.writeString(options.out(), json + "\n", StandardCharsets.UTF_8);
    }
    return new Result(model, meta);
  }

  private static int[] repeats(List<TrainingRow> rows, Options options) {
    return rows.stream()
        .mapToInt(r -> r.label() == 0 && HARD_NEGATIVES.contains(r.category()) ? options.hardNegativeRepeat() : 1)
        .toArray();
  }

  /** Fits on the rows outside fold {@code f}, each {@code repeat[i]} times. */
  private static LogisticRegression fit(float[][] x, int[] y, int[] repeat, int[] fold, int f,
      LogisticRegression.Settings settings) {
    List<Integer> train = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      for (int r = 0; r < (fold[i] != f ? repeat[i] : 0); r++) {
        train.add(i);
      }
    }
    return LogisticRegression.train(train.stream().map(i -> x[i]).toArray(float[][]::new),
        train.stream().mapToInt(i -> y[i]).toArray(), settings, Map.of());
  }

  private static double[] outOfFoldLogits(float[][] x, int[] y, int[] repeat, int[] fold, int k,
      LogisticRegression.Settings settings) {
    double[] logits = new double[x.length];
    for (int f = 0; f < k; f++) {
      LogisticRegression model = fit(x, y, repeat, fold, f, settings);
      for (int i = 0; i < x.length; i++) {
        if (fold[i] == f) {
          logits[i] = model.logit(x[i]);
        }
      }
    }
    return logits;
  }

  /** The combiner fitted per fold on the other folds' out-of-fold logits, so its scores are out of fold too. */
  private static double[] outOfFoldCombined(double[] logits, List<PreparedText> prepared, int[] y, int[] fold, int k, long seed) {
    double[] scores = new double[logits.length];
    for (int f = 0; f < k; f++) {
      boolean[] use = new boolean[logits.length];
      for (int i = 0; i < use.length; i++) {
        use[i] = fold[i] != f;
      }
      InjectionModel.Combiner combiner = InjectionModel.Combiner.of(trainCombiner(logits, prepared, y, use, seed));
      for (int i = 0; i < logits.length; i++) {
        if (fold[i] == f) {
          PreparedText p = prepared.get(i);
          scores[i] = combiner.probability(logits[i], p.signatureScore(), !p.ruleIds().isEmpty());
        }
      }
    }
    return scores;
  }

  private static LogisticRegression trainCombiner(double[] logits, List<PreparedText> prepared, int[] y, boolean[] use, long seed) {
    List<float[]> x = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int i = 0; i < logits.length; i++) {
      if (use[i]) {
        PreparedText p = prepared.get(i);
        x.add(new float[] {(float) logits[i], (float) p.signatureScore(), p.ruleIds().isEmpty() ? 0 : 1});
        labels.add(y[i]);
      }
    }
    return LogisticRegression.train(x.toArray(float[][]::new), labels.stream().mapToInt(Integer::intValue).toArray(),
        new LogisticRegression.Settings(500, 0.05, 1e-4, seed), Map.of());
  }

  private static boolean[] all(int n) {
    boolean[] use = new boolean[n];
    java.util.Arrays.fill(use, true);
    return use;
  }

  /**
   * The lowest threshold that keeps the overall false-positive rate within {@code maxFpr} and each
   * guarded benign category's within {@code categoryMaxFpr}.
   */
  static double pickThreshold(double[] scores, List<TrainingRow> rows, Options options) {
    int[] y = rows.stream().mapToInt(TrainingRow::label).toArray();
    double threshold = new BinaryMetrics(scores, y).thresholdAtFpr(options.maxFpr());
    for (String category : GUARDED_CATEGORIES) {
      double[] negatives = categoryScores(scores, rows, category, 0);
      if (negatives.length > 0) {
        threshold = Math.max(threshold,
            new BinaryMetrics(negatives, new int[negatives.length]).thresholdAtFpr(options.categoryMaxFpr()));
      }
    }
    return threshold;
  }

  private static double[] categoryScores(double[] scores, List<TrainingRow> rows, String category, int label) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).category().equals(category) && rows.get(i).label() == label) {
        out.add(scores[i]);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Figures at the shipped threshold, overall and per category (TPR of attacks, FPR of benign rows). */
  static Map<String, Object> metrics(double[] scores, List<TrainingRow> rows, int[] y, double threshold) {
    BinaryMetrics metrics = new BinaryMetrics(scores, y);
    BinaryMetrics.AtThreshold at = metrics.at(threshold);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("auc", round(metrics.auc()));
    m.put("tpr", round(at.recall()));
    m.put("fpr", round(at.fpr()));
    m.put("precision", round(at.precision()));
    m.put("f1", round(at.f1()));
    m.put("tpr_at_1pct_fpr", round(metrics.tprAtFpr(0.01)));
    Map<String, Object> categories = new LinkedHashMap<>();
    for (String category : new TreeSet<>(rows.stream().map(TrainingRow::category).toList())) {
      for (int label = 0; label <= 1; label++) {
        double[] s = categoryScores(scores, rows, category, label);
        if (s.length == 0) {
          continue;
        }
        long flagged = java.util.Arrays.stream(s).filter(v -> v >= threshold).count();
        categories.put(category + (label == 1 ? " tpr" : " fpr"), round((double) flagged / s.length));
      }
    }
    m.put("by_category", categories);
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
