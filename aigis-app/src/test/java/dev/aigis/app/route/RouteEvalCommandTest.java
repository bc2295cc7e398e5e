package dev.aigis.app.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code aigis route eval} with the shipped model on a handful of rows: figures, JSON keys, predictions, errors. */
class RouteEvalCommandTest {

  @TempDir Path dir;

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int exit = new CommandLine(new RouteCommand())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private Path examples() throws Exception {
    return Files.writeString(dir.resolve("examples.jsonl"), """
        {"id":"e1","text":"what is my account balance","route":"banking"}
        {"id":"e2","text":"transfer money to my savings account","route":"banking"}
        {"id":"e3","text":"how much money do I have in checking","route":"banking"}
        {"id":"e4","text":"book a flight to paris","route":"travel"}
        {"id":"e5","text":"find me a hotel in rome","route":"travel"}
        {"id":"e6","text":"what is the baggage allowance on my flight","route":"travel"}
        {"id":"e7","text":"tell me a joke","route":"oos"}
        {"id":"e8","text":"what is the meaning of life","route":"oos"}
        """);
  }

  private Path queries() throws Exception {
    return Files.writeString(dir.resolve("queries.jsonl"), """
        {"id":"q1","text":"what is the balance of my savings account","route":"banking"}
        {"id":"q2","text":"please book me a flight to rome","route":"travel"}
        {"id":"q3","text":"tell me a funny joke","route":"oos"}
        """);
  }

  @Test
  void jsonHasTheAgreedKeysAndPredictionsFollowTheInput() throws Exception {
    Path predictions = dir.resolve("predictions.jsonl");
    Result result = run("eval", "--examples", examples().toString(), queries().toString(), "--json",
        "--predictions", predictions.toString());

    assertThat(result.exit()).isEqualTo(0);
    JsonNode figures = Json.MAPPER.readTree(result.out());
    assertThat(figures.path("accuracy").asDouble()).isEqualTo(1.0);
    assertThat(figures.path("oos_precision").asDouble()).isEqualTo(1.0);
    assertThat(figures.path("oos_recall").asDouble()).isEqualTo(1.0);
    assertThat(figures.has("latency_p50_ms")).isTrue();
    assertThat(figures.has("latency_p99_ms")).isTrue();
    assertThat(figures.path("examples").asInt()).isEqualTo(8);
    assertThat(figures.path("routes").asInt()).isEqualTo(2);
    assertThat(figures.path("threshold").asDouble()).isEqualTo(0.44);
    assertThat(Files.readAllLines(predictions)).containsExactly(
        "{\"id\":\"q1\",\"route\":\"banking\"}",
        "{\"id\":\"q2\",\"route\":\"travel\"}",
        "{\"id\":\"q3\",\"route\":\"oos\"}");
    assertThat(result.err()).contains("embedded 8/8 examples");
  }

  @Test
  void aThresholdOfOneSendsEverythingToTheDefaultAndTheTextReportHasATable() throws Exception {
    Result result = run("eval", "--examples", examples().toString(), queries().toString(), "--threshold", "1");

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.out()).contains("accuracy         0.0000").contains("oos_recall       1.0000")
        .contains("oos_precision    0.3333").contains("route").contains("banking -> oos");
  }

  @Test
  void badInputIsAOneLineErrorAndExitTwo() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"id\":\"q1\",\"text\":\"hi\"}\n");
    Path unlabelled = Files.writeString(dir.resolve("unlabelled.jsonl"), "{\"text\":\"hi\"}\n");

    assertThat(run("eval", "--examples", dir.resolve("missing.jsonl").toString(), queries().toString()))
        .satisfies(r -> {
          assertThat(r.exit()).isEqualTo(2);
          assertThat(r.err()).isEqualTo(dir.resolve("missing.jsonl") + ": no such file" + System.lineSeparator());
        });
    assertThat(run("eval", "--examples", examples().toString(), bad.toString())).satisfies(r -> {
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains(bad + " line 1: expected an object with id, text and route");
    });
    assertThat(run("eval", "--examples", unlabelled.toString(), queries().toString())).satisfies(r -> {
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains(unlabelled + " line 1: needs a \"route\"");
    });
    assertThat(run("eval", "--examples", examples().toString(), queries().toString(), "--threshold", "2").exit())
        .isEqualTo(2);
    assertThat(List.of(run("eval").exit())).containsExactly(2);
  }
}
