package dev.aigis.app.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.cache.ParaphraseCheck;
import dev.aigis.core.cache.ParaphraseEvaluation;
import dev.aigis.core.embedding.Embedder;
import dev.aigis.core.embedding.MiniLmEmbedder;
import dev.aigis.core.guard.classify.JsonLines;
import dev.aigis.core.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aigis cache eval FILE.jsonl}: for each pair, {@code a} is cached and {@code b} looked up
 * with the shipped settings through the processor's own lookup; prints hit precision, hit rate,
 * recall on paraphrases, overall and per source. Exit 2 with a one-line message for a missing file
 * or a malformed line.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Measure the semantic cache on paraphrase pairs (JSONL: id, a, b, label, source).")
public final class CacheEvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "JSON Lines: one pair per line with id, a, b, label (1 = paraphrase) and source.")
  Path file;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--predictions", paramLabel = "OUT",
      description = "Also write {\"id\",\"hit\",\"similarity\"} per pair, in input order, to OUT.")
  Path predictions;

  @Option(names = "--threshold", paramLabel = "X",
      description = "The semantic tier's similarity floor (semantic.threshold) instead of the shipped one.")
  Double threshold;

  private final Supplier<Embedder> embedder;

  public CacheEvalCommand() {
    this(MiniLmEmbedder::shared);
  }

  CacheEvalCommand(Supplier<Embedder> embedder) {
    this.embedder = embedder;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (threshold != null && (threshold <= 0 || threshold > 1)) {
      err.println("--threshold must be in (0, 1], got " + threshold);
      return 2;
    }
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
    ParaphraseCheck check = threshold == null ? ParaphraseCheck.shipped() : ParaphraseCheck.shipped().withSimilarity(threshold);
    List<ParaphraseEvaluation.Outcome> outcomes = ParaphraseEvaluation.run(pairs, embedder.get(), check);
    ParaphraseEvaluation.Figures all = ParaphraseEvaluation.figures(outcomes);
    Map<String, ParaphraseEvaluation.Figures> bySource = ParaphraseEvaluation.bySource(outcomes);
    if (predictions != null) {
      try (BufferedWriter writer = Files.newBufferedWriter(predictions, StandardCharsets.UTF_8)) {
        for (ParaphraseEvaluation.Outcome o : outcomes) {
          ObjectNode row = Json.MAPPER.createObjectNode();
          row.put("id", o.pair().id());
          row.put("hit", o.hit());
          row.put("similarity", Math.round(o.similarity() * 10_000) / 10_000.0);
          writer.write(row.toString());
          writer.newLine();
        }
      }
    }
    if (json) {
      ObjectNode root = figures(all);
      root.put("threshold", check.similarity());
      root.set("check", check.toJson());
      ObjectNode sources = root.putObject("by_source");
      bySource.forEach((source, figures) -> sources.set(source, figures(figures)));
      out.println(root);
    } else {
      out.printf(Locale.ROOT, "pairs %d, similarity threshold %.2f, check %s%n", all.pairs(), check.similarity(),
          check.toJson());
      out.println(line("all", all));
      bySource.forEach((source, figures) -> out.println(line(source, figures)));
    }
    out.flush();
    return 0;
  }

  private static ObjectNode figures(ParaphraseEvaluation.Figures f) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("pairs", f.pairs());
    node.put("hits", f.hits());
    node.put("hit_precision", f.hitPrecision());
    node.put("hit_rate", f.hitRate());
    node.put("recall", f.recall());
    return node;
  }

  private static String line(String name, ParaphraseEvaluation.Figures f) {
    return String.format(Locale.ROOT, "%-24s pairs %5d  hits %5d  hit precision %.4f  hit rate %.4f  recall %.4f",
        name, f.pairs(), f.hits(), f.hitPrecision(), f.hitRate(), f.recall());
  }
}
