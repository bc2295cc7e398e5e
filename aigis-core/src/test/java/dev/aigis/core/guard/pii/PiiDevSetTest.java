package dev.aigis.core.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The per-entity report over the shared PII dev set, with the targets: recall at least 0.95 on the
 * pattern entities and no checksum false accepts. Skipped where the shared data is absent (it sits
 * two levels above a module directory, in the worktree and in the integrated checkout alike).
 */
class PiiDevSetTest {

  private static final Set<PiiEntity> PATTERN_ENTITIES = Set.of(
      PiiEntity.EMAIL_ADDRESS, PiiEntity.PHONE_NUMBER, PiiEntity.CREDIT_CARD, PiiEntity.IBAN_CODE,
      PiiEntity.US_SSN, PiiEntity.IP_ADDRESS);

  static List<JsonNode> devRows() throws IOException {
    Path file = Path.of(System.getProperty("user.dir"))
        .resolve("../../shared/datasets/guardrails/pii-dev.jsonl").normalize();
    assumeTrue(Files.isRegularFile(file), "no PII dev set at " + file);
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        rows.add(Json.MAPPER.readTree(line));
      }
    }
    return rows;
  }

  @Test
  void meetsTheRecallTargetsWithoutChecksumFalseAccepts() throws IOException {
    var report = PiiReport.evaluate(PiiScanner.all(), devRows());
    System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report.toMap()));
    for (PiiEntity e : PATTERN_ENTITIES) {
      assertThat(report.entities().get(e).recall()).as(e + " recall").isGreaterThanOrEqualTo(0.95);
    }
    assertThat(report.falseAccepts()).isZero();
    assertThat(report.checksums()).containsKeys("luhnfail", "mod97fail", "ssn-area000", "ssn-group00");
  }
}
