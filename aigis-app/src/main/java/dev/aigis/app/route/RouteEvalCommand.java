package dev.aigis.app.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.embedding.EmbeddingObserver;
import dev.aigis.core.embedding.EmbeddingService;
import dev.aigis.core.embedding.EmbeddingSettings;
import dev.aigis.core.embedding.MiniLmEmbedder;
import dev.aigis.core.guard.classify.JsonLines;
import dev.aigis.core.json.Json;
import dev.aigis.core.processing.ProcessorFactory;
import dev.aigis.core.routing.semantic.ExampleFiles;
import dev.aigis.core.routing.semantic.RouteDecision;
import dev.aigis.core.routing.semantic.RouteExamples;
import dev.aigis.core.routing.semantic.SemanticRouteFactory;
import dev.aigis.core.routing.semantic.SemanticRouter;
import dev.aigis.model.processing.SemanticRouteSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aigis route eval --examples EXAMPLES.jsonl FILE.jsonl}: learns the routes from the
 * examples' {@code text} and {@code route} exactly as a configuration's shared
 * {@code semanticRoute.examplesFile} gives them (one route per distinct {@code route}, rows whose
 * route is {@code oos} as out-of-scope examples, the shipped neighbours and threshold), then routes
 * every row of FILE and prints in-scope accuracy, out-of-scope precision and recall, and per-row
 * latency (embedding included, and the classification alone). Exit 2 with a one-line message for a
 * missing file or a malformed line.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Measure semantic routing: learn routes from EXAMPLES (text, route), classify FILE (id, text, route).")
public final class RouteEvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--examples", required = true, paramLabel = "EXAMPLES",
      description = "JSON Lines with text and route; route \"oos\" marks out-of-scope examples.")
  Path examples;

  @Parameters(paramLabel = "FILE", description = "JSON Lines: one object per line with id, text and route.")
  Path file;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--predictions", paramLabel = "OUT",
      description = "Also write {\"id\",\"route\"} per input row, in input order, to OUT.")
  Path predictions;

  @Option(names = "--threshold", paramLabel = "X",
      description = "Confidence below which the default (oos) applies; default: the shipped ${DEFAULT-VALUE}.")
  BigDecimal threshold = SemanticRouteSpec.DEFAULT_THRESHOLD;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (threshold.signum() < 0 || threshold.compareTo(BigDecimal.ONE) > 0) {
      err.println("--threshold must be in [0, 1], got " + threshold.toPlainString());
      return 2;
    }
    List<JsonNode> rows;
    SemanticRouteSpec config;
    try {
      config = configFor(examples, threshold);
      rows = JsonLines.read(file, node -> node.isObject() && node.path("text").isTextual()
          && node.path("route").isTextual() && node.has("id") ? null : "expected an object with id, text and route");
    } catch (NoSuchFileException e) {
      err.println("no such file: " + e.getFile());
      return 2;
    } catch (JsonLines.BadLine | ExampleFiles.BadExamples e) {
      err.println(e.getMessage());
      return 2;
    }
    List<String> problems = new ArrayList<>();
    RouteExamples learned = SemanticRouteFactory.examples(config, new ProcessorFactory.Entry() {
      @Override
      public String name() {
        return "eval";
      }

      @Override
      public void error(String field, String message) {
        problems.add(message);
      }
    });
    if (learned == null) {
      problems.forEach(err::println);
      return 2;
    }
    try (EmbeddingService service = EmbeddingService.start(MiniLmEmbedder.shared(),
        // No cache: every query's latency includes its own embedding.
        EmbeddingSettings.defaults().withCacheEntries(0), EmbeddingObserver.NONE)) {
      long start = System.nanoTime();
      SemanticRouter router = SemanticRouter.build(learned, config.neighbours(), config.threshold().doubleValue(),
          null, service.asEmbedder(), done -> {
            if (done % 2048 < SemanticRouter.BUILD_CHUNK || done == learned.size()) {
              err.printf(Locale.ROOT, "embedded %d/%d examples (%.1f s)%n", done, learned.size(),
                  (System.nanoTime() - start) / 1e9);
              err.flush();
            }
          });
      List<RouteEvaluation.Row> results = classify(router, rows, service, err);
      Map<String, Object> figures = RouteEvaluation.figures(results, SemanticRouteSpec.OUT_OF_SCOPE);
      figures.put("examples", learned.size());
      figures.put("routes", learned.routes().size());
      figures.put("neighbours", config.neighbours());
      figures.put("threshold", config.threshold().doubleValue());
      if (predictions != null) {
        writePredictions(results, predictions);
      }
      print(figures, results);
    }
    return 0;
  }

  /** The configuration a user would write for these examples: every route named in the file, and the file itself. */
  static SemanticRouteSpec configFor(Path examples, BigDecimal threshold) throws ExampleFiles.BadExamples {
    Set<String> names = new LinkedHashSet<>();
    for (ExampleFiles.Row row : ExampleFiles.read(examples)) {
      if (row.route() == null) {
        throw new ExampleFiles.BadExamples(examples + " line " + row.line() + ": needs a \"route\"");
      }
      if (!row.route().equals(SemanticRouteSpec.OUT_OF_SCOPE)) {
        names.add(row.route());
      }
    }
    List<SemanticRouteSpec.Route> routes = names.stream()
        .map(name -> new SemanticRouteSpec.Route(name, name, null, List.of(), null)).toList();
    return new SemanticRouteSpec(routes, examples.toAbsolutePath().toString(), null, null, threshold,
        SemanticRouteSpec.DEFAULT_NEIGHBOURS, SemanticRouteSpec.DEFAULT_HEADER, false, "LastUser");
  }

  private static List<RouteEvaluation.Row> classify(SemanticRouter router, List<JsonNode> rows, EmbeddingService service,
      PrintWriter err) {
    List<RouteEvaluation.Row> results = new ArrayList<>(rows.size());
    for (JsonNode row : rows) {
      long start = System.nanoTime();
      float[] vector = service.embed(row.path("text").asText()).toCompletableFuture().join();
      long embedded = System.nanoTime();
      RouteDecision decision = router.decide(vector);
      long end = System.nanoTime();
      String predicted = decision.outcome() == RouteDecision.Outcome.ROUTED ? decision.route()
          : SemanticRouteSpec.OUT_OF_SCOPE;
      results.add(new RouteEvaluation.Row(row.path("id").asText(), row.path("route").asText(), predicted,
          end - start, end - embedded));
      if (results.size() % 1000 == 0) {
        err.printf(Locale.ROOT, "classified %d/%d rows%n", results.size(), rows.size());
        err.flush();
      }
    }
    return results;
  }

  private void print(Map<String, Object> figures, List<RouteEvaluation.Row> results) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.MAPPER.writeValueAsString(figures));
      out.flush();
      return;
    }
    figures.forEach((key, value) -> out.printf(Locale.ROOT, "%-16s %s%n", key, format(value)));
    out.println();
    out.printf(Locale.ROOT, "%-22s %6s %8s %9s%n", "route", "rows", "recall", "precision");
    RouteEvaluation.perRoute(results).forEach((route, f) -> out.printf(Locale.ROOT, "%-22s %6d %8.4f %9.4f%n",
        route, (Long) f.get("rows"), (Double) f.get("recall"), (Double) f.get("precision")));
    out.println();
    out.println("most frequent mistakes (truth -> predicted):");
    RouteEvaluation.confusions(results, 10).forEach(e -> out.printf(Locale.ROOT, "  %-40s %d%n", e.getKey(), e.getValue()));
    out.flush();
  }

  private static String format(Object value) {
    return value instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : String.valueOf(value);
  }

  private static void writePredictions(List<RouteEvaluation.Row> results, Path out) throws IOException {
    try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (RouteEvaluation.Row row : results) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", row.id());
        node.put("route", row.predicted());
        writer.write(Json.MAPPER.writeValueAsString(node));
        writer.write('\n');
      }
    }
  }
}
