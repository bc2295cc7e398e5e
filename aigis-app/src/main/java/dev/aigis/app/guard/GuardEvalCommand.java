package dev.aigis.app.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.guard.classify.JsonLines;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
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
 * {@code aigis guard eval --detector NAME FILE.jsonl}: scores every row with the detector's shipped
 * settings and prints precision, recall, F1, FPR, ROC AUC, TPR at 1 % FPR, the threshold and the
 * per-row latency percentiles. Exit 2 with a one-line message for a missing file, a malformed
 * line or an unknown detector.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Measure a guard detector on labelled JSONL rows (id, text, and label or spans).")
public final class GuardEvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--detector", required = true, paramLabel = "NAME", description = "injection, output or pii.")
  String detector;

  @Parameters(paramLabel = "FILE", description = "JSON Lines: one object per line with id, text, and label or spans.")
  Path file;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--scores", paramLabel = "OUT",
      description = "Also write {\"id\",\"score\",\"flagged\"} per input row, in input order, to OUT.")
  Path scores;

  private final Supplier<Map<String, GuardDetector>> registry;

  public GuardEvalCommand() {
    this(GuardDetectors::all);
  }

  GuardEvalCommand(Supplier<Map<String, GuardDetector>> registry) {
    this.registry = registry;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, GuardDetector> known = registry.get();
    GuardDetector chosen = known.get(detector);
    if (chosen == null) {
      err.println("unknown detector '" + detector + "'; known: "
          + (known.isEmpty() ? "(none)" : String.join(", ", known.keySet())));
      return 2;
    }
    List<JsonNode> rows;
    try {
      rows = read(file);
    } catch (NoSuchFileException e) {
      err.println("no such file: " + file);
      return 2;
    } catch (MalformedRow e) {
      err.println(e.getMessage());
      return 2;
    }
    List<GuardEvaluation.Row> scored = GuardEvaluation.score(chosen, chosen.scorer().get(), rows, System::nanoTime);
    Map<String, Object> figures = GuardEvaluation.metrics(scored);
    figures.putAll(chosen.extra().apply(rows));
    if (scores != null) {
      writeScores(scored, scores);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.MAPPER.writeValueAsString(figures));
    } else {
      out.printf(Locale.ROOT, "detector %s, %d rows (%d positive)%n", detector, scored.size(),
          scored.stream().filter(r -> r.label() == 1).count());
      figures.forEach((key, value) -> out.printf(Locale.ROOT, "%-18s %s%n", key, format(value)));
    }
    out.flush();
    return 0;
  }

  private static String format(Object value) {
    return value instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : String.valueOf(value);
  }

  private static final class MalformedRow extends Exception {
    MalformedRow(String message) {
      super(message, null, false, false);
    }
  }

  /** Reads the rows; a line that is not an object with a string {@code text} and a label or spans is refused by number. */
  private static List<JsonNode> read(Path file) throws IOException, MalformedRow {
    try {
      return JsonLines.read(file, node -> {
        if (!node.isObject() || !node.path("text").isTextual()) {
          return "expected an object with a string \"text\"";
        }
        return node.has("label") || node.has("spans") ? null : "needs \"label\" or \"spans\"";
      });
    } catch (JsonLines.BadLine e) {
      throw new MalformedRow(e.getMessage());
    }
  }

  private static void writeScores(List<GuardEvaluation.Row> scored, Path out) throws IOException {
    try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (GuardEvaluation.Row row : scored) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", row.id());
        node.put("score", row.score());
        node.put("flagged", row.flagged());
        writer.write(Json.MAPPER.writeValueAsString(node));
        writer.write('\n');
      }
    }
  }
}
