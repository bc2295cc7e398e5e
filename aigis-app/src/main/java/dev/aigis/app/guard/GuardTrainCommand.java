package dev.aigis.app.guard;

import dev.aigis.core.embedding.MiniLmEmbedder;
import dev.aigis.core.guard.injection.InjectionPreparer;
import dev.aigis.core.guard.injection.InjectionTrainer;
import dev.aigis.core.guard.output.OutputTrainer;
import dev.aigis.core.json.Json;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aigis guard train --detector injection|output --data FILE.jsonl --out MODEL.json}: fits a
 * trained detector and writes its model; the work is {@link InjectionTrainer}'s or
 * {@link OutputTrainer}'s, this only reads options. Embeddings are cached under {@code target/guard-cache/} of the working directory.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a guard detector's model from labelled JSONL rows (injection, output).")
public final class GuardTrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--detector", required = true, paramLabel = "NAME", description = "injection or output")
  String detector;

  @Option(names = "--data", required = true, paramLabel = "FILE", description = "JSON Lines with id, text, label, source, category.")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the model JSON.")
  Path out;

  @Option(names = "--seed", defaultValue = "7", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--folds", defaultValue = "5", description = "Cross-validation folds (default ${DEFAULT-VALUE}).")
  int folds;

  @Option(names = "--cache", defaultValue = "target/guard-cache/injection-embeddings.bin", paramLabel = "FILE",
      description = "Embedding cache (default ${DEFAULT-VALUE}); never commit it.")
  Path cache;

  @Option(names = "--negatives", paramLabel = "FILE", split = ",",
      description = "Output only: further JSONL files whose label-0 rows train as safe text (never scored), "
          + "e.g. injection-dev.jsonl; the shipped model used it.")
  java.util.List<Path> negatives = new java.util.ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (!detector.equals("injection") && !detector.equals("output")) {
      err.println("no trainer for detector '" + detector + "'; trainable: injection, output");
      return 2;
    }
    if (!Files.isRegularFile(data)) {
      err.println("no such file: " + data);
      return 2;
    }
    if (folds < 2) {
      err.println("--folds must be at least 2");
      return 2;
    }
    if (detector.equals("output")) {
      return trainOutput(err);
    }
    var defaults = InjectionTrainer.Options.defaults(data, out);
    var options = new InjectionTrainer.Options(data, out, seed, folds, defaults.thresholdScheme(), defaults.maxFpr(),
        defaults.categoryMaxFpr(), defaults.features(), defaults.l2(), defaults.epochs(), defaults.hardNegativeRepeat(), cache);
    InjectionTrainer.Result result;
    try {
      result = new InjectionTrainer(MiniLmEmbedder.shared(), InjectionPreparer.standard()).train(options);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(Locale.ROOT, "wrote %s (threshold %.4f)%n", out, result.model().threshold());
    stdout.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result.meta().get("oof")));
    stdout.flush();
    return 0;
  }

  /** The output filter caches window embeddings in a directory: the one {@code --cache} names a file in. */
  private int trainOutput(PrintWriter err) throws Exception {
    Path cacheDirectory = cache.toAbsolutePath().getParent();
    OutputTrainer.Result result;
    try {
      result = OutputTrainer.train(data, seed, folds, cacheDirectory, MiniLmEmbedder.shared(), negatives);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result.model()));
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(Locale.ROOT, "wrote %s (threshold %.4f)%n", out, result.outOfFold().threshold());
    stdout.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result.model().path("meta").path("outOfFold")));
    stdout.flush();
    return 0;
  }
}
