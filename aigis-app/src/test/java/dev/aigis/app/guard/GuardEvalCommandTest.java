package dev.aigis.app.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.guard.TextScorer;
import dev.aigis.core.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code aigis guard eval} over a fake detector: the figures, the JSON keys, the scores file and the errors. */
class GuardEvalCommandTest {

  @TempDir Path dir;

  /** Scores a row by the number its text starts with, flags at 0.5; rows without a label count as benign. */
  private static final GuardDetector FAKE = new GuardDetector("fake",
      () -> text -> {
        double score = Double.parseDouble(text.substring(0, text.indexOf(' ')));
        return new TextScorer.Scored(score, score >= 0.5, List.of());
      },
      row -> row.path("label").asInt(0),
      rows -> Map.of("rows_seen", rows.size()));

  private record Result(int exit, String out, String err) {}

  private static Result run(Map<String, GuardDetector> registry, String... args) {
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        return type == GuardEvalCommand.class
            ? type.cast(new GuardEvalCommand(() -> registry))
            : CommandLine.defaultFactory().create(type);
      }
    };
    var out = new StringWriter();
    var err = new StringWriter();
    int exit = new CommandLine(new GuardCommand(), factory)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private static Map<String, GuardDetector> fake() {
    Map<String, GuardDetector> registry = new LinkedHashMap<>();
    registry.put("fake", FAKE);
    registry.put("other", FAKE);
    return registry;
  }

  private static String fixture() throws URISyntaxException {
    return Path.of(GuardEvalCommandTest.class.getResource("/guard/eval-fixture.jsonl").toURI()).toString();
  }

  @Test
  void jsonHasExactlyTheCommonKeysThenTheDetectorsExtras() throws Exception {
    Result result = run(fake(), "eval", "--detector", "fake", "--json", fixture());
    assertThat(result.exit()).as(result.err()).isZero();
    JsonNode json = Json.MAPPER.readTree(result.out());
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("precision", "recall", "f1", "fpr", "auc", "tpr_at_1pct_fpr", "threshold",
        "latency_p50_ms", "latency_p99_ms", "rows_seen");
    // Flagged: a, b (attacks) and d (benign); c missed. AUC: 8 of 9 attack/benign pairs ordered right.
    assertThat(json.get("precision").asDouble()).isEqualTo(2 / 3.0);
    assertThat(json.get("recall").asDouble()).isEqualTo(2 / 3.0);
    assertThat(json.get("f1").asDouble()).isEqualTo(2 / 3.0);
    assertThat(json.get("fpr").asDouble()).isEqualTo(1 / 3.0);
    assertThat(json.get("auc").asDouble()).isEqualTo(8 / 9.0);
    assertThat(json.get("tpr_at_1pct_fpr").asDouble()).isEqualTo(2 / 3.0);
    assertThat(json.get("threshold").asDouble()).isEqualTo(0.6);
    assertThat(json.get("latency_p99_ms").asDouble()).isGreaterThanOrEqualTo(json.get("latency_p50_ms").asDouble());
    assertThat(json.get("rows_seen").asInt()).isEqualTo(6);
  }

  @Test
  void textOutputNamesEveryFigure() throws Exception {
    Result result = run(fake(), "eval", "--detector", "fake", fixture());
    assertThat(result.exit()).isZero();
    assertThat(result.out()).startsWith("detector fake, 6 rows (3 positive)\n")
        .contains("precision          0.6667\n", "auc                0.8889\n", "threshold          0.6000\n",
            "latency_p99_ms", "rows_seen          6\n");
  }

  @Test
  void scoresFileHasOneLinePerRowInInputOrder() throws Exception {
    Path scores = dir.resolve("scores.jsonl");
    Result result = run(fake(), "eval", "--detector", "fake", "--scores", scores.toString(), fixture());
    assertThat(result.exit()).isZero();
    assertThat(Files.readAllLines(scores)).containsExactly(
        "{\"id\":\"a\",\"score\":0.9,\"flagged\":true}",
        "{\"id\":\"b\",\"score\":0.7,\"flagged\":true}",
        "{\"id\":\"c\",\"score\":0.3,\"flagged\":false}",
        "{\"id\":\"d\",\"score\":0.6,\"flagged\":true}",
        "{\"id\":\"e\",\"score\":0.2,\"flagged\":false}",
        "{\"id\":\"f\",\"score\":0.1,\"flagged\":false}");
  }

  @Test
  void anUnknownDetectorIsRefusedWithTheKnownNames() throws Exception {
    Result result = run(fake(), "eval", "--detector", "pii", fixture());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).isEqualTo("unknown detector 'pii'; known: fake, other\n");
    assertThat(run(Map.of(), "eval", "--detector", "pii", fixture()).err())
        .isEqualTo("unknown detector 'pii'; known: (none)\n");
  }

  @Test
  void aMissingFileIsOneLine() {
    Path missing = dir.resolve("missing.jsonl");
    Result result = run(fake(), "eval", "--detector", "fake", missing.toString());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).isEqualTo("no such file: " + missing + "\n");
  }

  @Test
  void malformedLinesAreNamedByNumber() throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, "{\"id\":\"a\",\"text\":\"0.9 x\",\"label\":1}\n{not json\n");
    assertThat(run(fake(), "eval", "--detector", "fake", file.toString()).err())
        .isEqualTo(file + " line 2: not valid JSON\n");
    Files.writeString(file, "{\"id\":\"a\",\"text\":\"0.9 x\"}\n");
    Result result = run(fake(), "eval", "--detector", "fake", file.toString());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).isEqualTo(file + " line 1: needs \"label\" or \"spans\"\n");
    Files.writeString(file, "\n[1]\n");
    assertThat(run(fake(), "eval", "--detector", "fake", file.toString()).err())
        .isEqualTo(file + " line 2: expected an object with a string \"text\"\n");
  }

  @Test
  void theRegistryKnowsTheInjectionDetector() {
    assertThat(GuardDetectors.all()).containsKey("injection");
  }
}
