package dev.aigis.app.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aigis.core.embedding.Embedder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code aigis cache eval} and {@code train} on a few pairs, with a bag-of-words embedder (no model). */
class CacheCommandTest {

  static final ObjectMapper JSON = new ObjectMapper();

  /** Word counts hashed into 64 dimensions, unit length: order-blind, like a sentence embedding. */
  static final Embedder WORDS = new Embedder() {
    @Override
    public int dimension() {
      return 64;
    }

    @Override
    public int maxTokens() {
      return 128;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
      List<float[]> out = new ArrayList<>();
      for (String text : texts) {
        float[] v = new float[64];
        for (String word : text.toLowerCase(Locale.ROOT).split("\\W+")) {
          if (!word.isEmpty()) {
            v[Math.floorMod(word.hashCode(), 64)] += 1;
          }
        }
        double norm = 0;
        for (float x : v) {
          norm += x * x;
        }
        for (int i = 0; i < v.length; i++) {
          v[i] /= (float) Math.sqrt(norm);
        }
        out.add(v);
      }
      return out;
    }
  };

  static final String PAIRS = """
      {"id":"p1","a":"What is the capital of France?","b":"Tell me, what is the capital of France?","label":1,"source":"q"}
      {"id":"n1","a":"Flights from Paris to Rome","b":"Flights from Rome to Paris","label":0,"source":"q"}
      {"id":"n2","a":"Book a table for 4 people","b":"Book a table for 5 people","label":0,"source":"w"}
      {"id":"p2","a":"How can I reset my password?","b":"How do I reset my password?","label":1,"source":"w"}
      """;

  private record Run(int exit, String out, String err) {}

  private static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void evalPrintsPrecisionHitRateAndThresholdAndWritesOnePredictionPerPair(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("pairs.jsonl"), PAIRS);
    Path predictions = dir.resolve("out.jsonl");
    Run run = run(new CacheEvalCommand(() -> WORDS), "--json", "--predictions", predictions.toString(),
        "--threshold", "0.5", file.toString());

    assertThat(run.exit()).isZero();
    JsonNode root = JSON.readTree(run.out());
    assertThat(root.path("threshold").asDouble()).isEqualTo(0.5);
    // The paraphrases are served; the swapped cities and the other number are not.
    assertThat(root.path("hits").asInt()).isEqualTo(2);
    assertThat(root.path("hit_precision").asDouble()).isEqualTo(1.0);
    assertThat(root.path("hit_rate").asDouble()).isEqualTo(0.5);
    assertThat(root.path("by_source").path("q").path("hits").asInt()).isEqualTo(1);
    List<String> lines = Files.readAllLines(predictions);
    assertThat(lines).hasSize(4);
    assertThat(JSON.readTree(lines.get(0)).path("id").asText()).isEqualTo("p1");
    assertThat(JSON.readTree(lines.get(0)).path("hit").asBoolean()).isTrue();
    assertThat(JSON.readTree(lines.get(1)).path("hit").asBoolean()).isFalse();
  }

  @Test
  void aMissingFileOrABadLineExitsTwoWithOneLine(@TempDir Path dir) throws Exception {
    Run missing = run(new CacheEvalCommand(() -> WORDS), dir.resolve("none.jsonl").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).startsWith("no such file: ");

    Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"id\":\"x\",\"a\":\"q\",\"b\":\"r\",\"label\":2}\n");
    Run badLabel = run(new CacheEvalCommand(() -> WORDS), bad.toString());
    assertThat(badLabel.exit()).isEqualTo(2);
    assertThat(badLabel.err().strip()).isEqualTo(bad + " line 1: \"label\" must be 0 or 1");
  }

  @Test
  void trainIsReproducibleAndWritesTheCheckWithItsCrossValidatedFigures(@TempDir Path dir) throws Exception {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      many.append(PAIRS.replace("\"id\":\"", "\"id\":\"" + i + "-"));
    }
    Path file = Files.writeString(dir.resolve("pairs.jsonl"), many);
    Path first = dir.resolve("a.json");
    Path second = dir.resolve("b.json");
    assertThat(run(new CacheTrainCommand(() -> WORDS), file.toString(), "--out", first.toString()).exit()).isZero();
    assertThat(run(new CacheTrainCommand(() -> WORDS), file.toString(), "--out", second.toString()).exit()).isZero();

    assertThat(Files.readString(first)).isEqualTo(Files.readString(second));
    JsonNode model = JSON.readTree(first.toFile());
    assertThat(model.path("minOrder").asDouble()).isEqualTo(1.0);
    assertThat(model.path("similarity").asDouble()).isBetween(0.85, 1.0);
    assertThat(model.at("/meta/crossValidated/hit_precision").isNumber()).isTrue();
    assertThat(model.at("/meta/dataSha256").asText()).hasSize(64);
  }
}
