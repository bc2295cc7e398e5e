package dev.aigis.app.cache;

import dev.aigis.core.cache.ParaphraseEvaluation;
import dev.aigis.core.cache.ParaphraseTrainer;
import dev.aigis.core.embedding.Embedder;
import dev.aigis.core.embedding.MiniLmEmbedder;
import dev.aigis.core.guard.classify.JsonLines;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aigis cache train FILE.jsonl --out MODEL.json}: fits the semantic tier's paraphrase check
 * ({@link ParaphraseTrainer}) and prints its out-of-fold figures, overall and per source. The
 * shipped {@code paraphrase-model.json} is this command's output on the dev pairs with the defaults.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the semantic cache's paraphrase check on labelled pairs (JSONL: id, a, b, label, source).")
public final class CacheTrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "JSON Lines: one pair per line with id, a, b, label and source.")
  Path file;

  @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Where to write the model (JSON).")
  Path outFile;

  @Option(names = "--target-precision", paramLabel = "P",
      description = "Least hit precision a chosen check keeps with 95%% confidence (Wilson lower bound; default ${DEFAULT-VALUE}).")
  double targetPrecision = ParaphraseTrainer.Settings.DEFAULTS.targetPrecision();

  @Option(names = "--folds", paramLabel = "K", description = "Cross-validation folds (default ${DEFAULT-VALUE}).")
  int folds = ParaphraseTrainer.Settings.DEFAULTS.folds();

  @Option(names = "--seed", paramLabel = "N", description = "Fold and training seed (default ${DEFAULT-VALUE}).")
  long seed = ParaphraseTrainer.Settings.DEFAULTS.seed();

  private final Supplier<Embedder> embedder;

  public CacheTrainCommand() {
    this(MiniLmEmbedder::shared);
  }

  CacheTrainCommand(Supplier<Embedder> embedder) {
    this.embedder = embedder;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<ParaphraseEvaluation.Pair> pairs;
    try {
      pairs = PairFile.read(file);
    } catch (NoSuchFileException e) {
      err.println("no such file: " + file);
      return 2;
    } catch (JsonLines.BadLine e) {
      err.println(e.getMessage());
      return 2;
    }
    List<String> texts = new ArrayList<>();
    pairs.forEach(p -> {
      texts.add(p.a());
      texts.add(p.b());
    });
    List<float[]> vectors = embedder.get().embedAll(texts);
    var settings = new ParaphraseTrainer.Settings(targetPrecision, folds, seed);
    ParaphraseTrainer.Trained trained = ParaphraseTrainer.train(pairs, vectors, settings);
    ParaphraseEvaluation.Figures oof = ParaphraseEvaluation.figures(trained.outOfFold());
    var root = trained.check().toJson();
    var meta = root.putObject("meta");
    meta.put("trainedBy", "aigis cache train");
    meta.put("data", file.getFileName().toString());
    meta.put("dataSha256", sha256(file));
    meta.put("pairs", pairs.size());
    meta.put("targetPrecision", targetPrecision);
    meta.put("folds", folds);
    meta.put("seed", seed);
    var cv = meta.putObject("crossValidated");
    cv.put("hit_precision", oof.hitPrecision());
    cv.put("hit_rate", oof.hitRate());
    cv.put("recall", oof.recall());
    ParaphraseEvaluation.bySource(trained.outOfFold()).forEach((source, f) -> {
      var s = cv.putObject(source);
      s.put("hit_precision", f.hitPrecision());
      s.put("hit_rate", f.hitRate());
      s.put("recall", f.recall());
    });
    Files.writeString(outFile, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    out.println("chosen on all pairs: " + trained.check().toJson());
    out.printf(Locale.ROOT, "cross-validated (%d folds, chosen without each fold): hit precision %.4f  hit rate %.4f"
        + "  recall %.4f%n", folds, oof.hitPrecision(), oof.hitRate(), oof.recall());
    ParaphraseEvaluation.bySource(trained.outOfFold()).forEach((source, f) -> out.printf(Locale.ROOT,
        "  %-24s pairs %5d  hits %5d  hit precision %.4f  hit rate %.4f  recall %.4f%n", source, f.pairs(), f.hits(),
        f.hitPrecision(), f.hitRate(), f.recall()));
    out.println("wrote " + outFile);
    out.flush();
    return 0;
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
