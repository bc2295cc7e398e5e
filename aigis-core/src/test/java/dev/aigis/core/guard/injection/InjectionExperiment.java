package dev.aigis.core.guard.injection;

import dev.aigis.core.embedding.MiniLmEmbedder;
import dev.aigis.core.json.Json;
import java.nio.file.Path;

/**
 * Not a test: a command-line harness for choosing the feature settings (window, sizes, l2) by
 * out-of-fold figures. Args: data window windowChars wordBuckets charBuckets l2 epochs.
 */
public final class InjectionExperiment {

  public static void main(String[] args) throws Exception {
    var base = InjectionTrainer.Options.defaults(Path.of(args[0]), null);
    var features = new InjectionFeatures(InjectionFeatures.Window.valueOf(args[1]), Integer.parseInt(args[2]),
        Integer.parseInt(args[3]), Integer.parseInt(args[4]));
    var options = new InjectionTrainer.Options(base.data(), null, base.seed(), base.folds(), base.thresholdScheme(),
        base.maxFpr(), base.categoryMaxFpr(), features, Double.parseDouble(args[5]), Integer.parseInt(args[6]),
        Integer.parseInt(args[7]), base.cacheFile());
    long start = System.nanoTime();
    var result = new InjectionTrainer(MiniLmEmbedder.shared(), PreparedText.Preparer.foldOnly()).train(options);
    System.out.println(String.join(" ", args) + " (" + (System.nanoTime() - start) / 1_000_000_000 + " s)");
    System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result.meta().get("oof")));
    System.out.println("threshold " + result.model().threshold());
  }
}
