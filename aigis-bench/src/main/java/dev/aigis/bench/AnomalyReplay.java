package dev.aigis.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.embedding.MiniLmEmbedder;
import dev.aigis.core.guard.anomaly.AnomalyDetector;
import dev.aigis.core.guard.anomaly.AnomalySettings;
import dev.aigis.core.guard.anomaly.AnomalyVerdict;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * How the anomaly detector's prompt signals (length, embedding distance) separate an identity's
 * usual prompts from attacks, on the guardrail DEV data: each simulated identity sends 60 prompts
 * from one benign source (one a minute, so the rate never fires), then one test prompt is scored
 * against that baseline: another prompt of the same source (a false positive if flagged), a prompt
 * of another benign source (a change of subject), or an attack. Nothing is trained; the detector
 * runs with its defaults. Run: {@code java -cp "aigis-bench/target/aigis-bench.jar:aigis-bench/target/lib/*"
 * dev.aigis.bench.AnomalyReplay /work/shared/datasets/guardrails/injection-dev.jsonl}.
 */
public final class AnomalyReplay {

  private static final int BASELINE = 60;
  private static final int IDENTITIES = 20;
  private static final int TESTS = 10;

  private record Row(String text, String source, String category) {}

  public static void main(String[] args) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      JsonNode node = Json.MAPPER.readTree(line);
      rows.add(new Row(node.get("text").asText(), node.get("source").asText(), node.get("category").asText()));
    }
    Map<String, Predicate<Row>> profiles = new LinkedHashMap<>();
    profiles.put("gsm8k math", r -> r.source().startsWith("openai/grade-school-math"));
    profiles.put("presidio synthetic", r -> r.source().startsWith("microsoft/presidio-research"));
    profiles.put("gpteacher roleplay", r -> r.source().startsWith("teknium1/GPTeacher"));
    profiles.put("self-instruct", r -> r.source().startsWith("yizhongw/self-instruct"));
    profiles.put("deepset benign", r -> r.source().startsWith("sinanw/") && r.category().equals("benign"));
    Map<String, Predicate<Row>> attacks = new LinkedHashMap<>();
    attacks.put("jailbreak templates", r -> r.category().equals("jailbreak")
        && (r.source().startsWith("verazuo/") || r.source().contains("/JBC/") || r.source().startsWith("sherdencooper/")));
    attacks.put("GCG/DSN suffixes", r -> r.source().contains("/GCG/") || r.source().contains("/DSN/"));
    attacks.put("direct injection", r -> r.category().equals("direct-injection"));

    Random random = new Random(7);
    Map<String, List<Row>> pools = new LinkedHashMap<>();
    profiles.forEach((name, p) -> pools.put(name, sample(rows, p, 200, random)));
    attacks.forEach((name, p) -> pools.put(name, sample(rows, p, 200, random)));

    MiniLmEmbedder embedder = MiniLmEmbedder.shared();
    Map<String, float[]> vectors = new HashMap<>();
    pools.values().forEach(pool -> pool.forEach(r -> vectors.computeIfAbsent(r.text(), embedder::embed)));

    AnomalySettings settings = AnomalySettings.defaults();
    System.out.printf(Locale.ROOT, "%-20s %-22s %8s %8s %8s %8s%n", "identity", "test prompt", "flagged", "length", "distance", "of");
    for (String profile : profiles.keySet()) {
      List<Row> pool = pools.get(profile);
      List<Row> baselinePool = pool.subList(0, pool.size() / 2);
      List<Row> samePool = pool.subList(pool.size() / 2, pool.size());
      Map<String, List<Row>> tests = new LinkedHashMap<>();
      tests.put("same source", samePool);
      List<Row> others = new ArrayList<>();
      profiles.keySet().stream().filter(p -> !p.equals(profile)).forEach(p -> others.addAll(pools.get(p)));
      tests.put("other benign source", others);
      attacks.keySet().forEach(a -> tests.put(a, pools.get(a)));
      for (var test : tests.entrySet()) {
        int n = 0;
        int flagged = 0;
        int length = 0;
        int distance = 0;
        for (int identity = 0; identity < IDENTITIES; identity++) {
          List<Row> baseline = pick(baselinePool, BASELINE, random);
          for (Row probe : pick(test.getValue(), TESTS, random)) {
            AnomalyVerdict verdict = replay(settings, baseline, probe, vectors);
            n++;
            flagged += verdict.anomalous() ? 1 : 0;
            length += verdict.signals().stream().anyMatch(s -> s.startsWith("length:")) ? 1 : 0;
            distance += verdict.signals().stream().anyMatch(s -> s.startsWith("distance:")) ? 1 : 0;
          }
        }
        System.out.printf(Locale.ROOT, "%-20s %-22s %7.1f%% %7.1f%% %7.1f%% %8d%n", profile, test.getKey(),
            100.0 * flagged / n, 100.0 * length / n, 100.0 * distance / n, n);
      }
    }
  }

  /** A fresh detector, the baseline one prompt a minute, then the probe. */
  private static AnomalyVerdict replay(AnomalySettings settings, List<Row> baseline, Row probe, Map<String, float[]> vectors) {
    var clock = new Instant[] {Instant.parse("2026-01-01T00:00:00Z")};
    InstantSource source = () -> clock[0];
    var detector = new AnomalyDetector(settings, source);
    for (Row row : baseline) {
      detector.observeRequest("id", row.text().length(), vectors.get(row.text()));
      clock[0] = clock[0].plus(Duration.ofMinutes(1));
    }
    return detector.observeRequest("id", probe.text().length(), vectors.get(probe.text()));
  }

  private static List<Row> sample(List<Row> rows, Predicate<Row> filter, int size, Random random) {
    List<Row> matching = new ArrayList<>(rows.stream().filter(filter).toList());
    Collections.shuffle(matching, random);
    return matching.subList(0, Math.min(size, matching.size()));
  }

  private static List<Row> pick(List<Row> pool, int count, Random random) {
    List<Row> copy = new ArrayList<>(pool);
    Collections.shuffle(copy, random);
    return copy.subList(0, Math.min(count, copy.size()));
  }
}
