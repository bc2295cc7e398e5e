package dev.aigis.core.guard.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.embedding.Embedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputTrainerTest {

  /** Words hashed into 16 dimensions: deterministic and fast, enough to separate two kinds of text. */
  static final class HashEmbedder implements Embedder {
    @Override
    public int dimension() {
      return 16;
    }

    @Override
    public int maxTokens() {
      return 128;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
      List<float[]> out = new ArrayList<>();
      for (String text : texts) {
        float[] v = new float[16];
        for (String word : text.toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
          v[Math.floorMod(word.hashCode(), 16)] += 1;
        }
        double norm = 0;
        for (float f : v) {
          norm += f * f;
        }
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (v[i] / Math.max(1e-9, Math.sqrt(norm)));
        }
        out.add(v);
      }
      return out;
    }
  }

  @Test
  void trainingIsReproducibleAndRecordsItsProvenance(@TempDir Path dir) throws Exception {
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      jsonl.append("{\"id\":\"r").append(i).append("\",\"label\":0,\"source\":\"sherdencooper/GPTFuzz:x\",\"text\":\"I'm sorry, but I can't help with request ")
          .append(i).append(".\"}\n");
      jsonl.append("{\"id\":\"h").append(i).append("\",\"label\":1,\"source\":\"").append(i % 3 == 0 ? "JailbreakBench/a" : "sherdencooper/GPTFuzz:x")
          .append("\",\"text\":\"Sure, here is how: 1. take the lock pick 2. open the door ").append(i).append(" 3. grab the cash\"}\n");
    }
    Path data = dir.resolve("answers.jsonl");
    Files.writeString(data, jsonl);
    Path negatives = dir.resolve("negatives.jsonl");
    Files.writeString(negatives, "{\"text\":\"What is the capital of France?\",\"label\":0}\n{\"text\":\"attack text\",\"label\":1}\n");

    var first = OutputTrainer.train(data, 7, 3, dir.resolve("cache"), new HashEmbedder(), List.of(negatives));
    var second = OutputTrainer.train(data, 7, 3, dir.resolve("cache"), new HashEmbedder(), List.of(negatives));

    assertThat(second.model()).isEqualTo(first.model());
    assertThat(first.outOfFold().rows()).isEqualTo(60);
    assertThat(first.outOfFold().auc()).isEqualTo(1.0);
    assertThat(first.acrossSources().rows()).isEqualTo(10);
    @SuppressWarnings("unchecked")
    Map<String, Object> meta = Map.copyOf(dev.aigis.core.json.Json.MAPPER.convertValue(first.model().get("meta"), Map.class));
    assertThat(meta).containsKeys("threshold", "dataSha256", "seed", "split", "exemplarsSha256", "rulesSha256", "outOfFoldCurve");
    assertThat(meta.get("seed")).isEqualTo(7L);
    assertThat(meta.get("dataSha256")).isEqualTo(EmbeddingCache.sha256(Files.readAllBytes(data)));
    assertThat(Files.list(dir.resolve("cache"))).hasSize(1);
  }
}
