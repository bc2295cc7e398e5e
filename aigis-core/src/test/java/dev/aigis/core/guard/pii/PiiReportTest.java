package dev.aigis.core.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiReportTest {

  private static JsonNode row(String json) throws Exception {
    return Json.MAPPER.readTree(json);
  }

  @Test
  void countsSpansInCodePointOffsetsAndChecksumFalseAccepts() throws Exception {
    // 😀 is one code point (Python offsets) but two UTF-16 chars
    List<JsonNode> rows = List.of(
        row("""
            {"id": "r1", "text": "😀 mail a@b.co now", "spans": [{"entity_type": "EMAIL_ADDRESS", "start": 7, "end": 13}]}"""),
        row("""
            {"id": "r2", "text": "call me, Ann", "spans": [{"entity_type": "PERSON", "start": 9, "end": 12},
              {"entity_type": "PHONE_NUMBER", "start": 0, "end": 4}]}"""),
        row("""
            {"id": "gen-cc-luhnfail-1", "text": "card 4111 1111 1111 1112", "spans": []}"""),
        row("""
            {"id": "gen-ssn-area666-1", "text": "ssn 666-12-3456 and a stray 10.0.0.1", "spans": []}"""));
    var report = PiiReport.evaluate(PiiScanner.all(), rows);
    assertThat(report.entities().get(PiiEntity.EMAIL_ADDRESS)).isEqualTo(new PiiReport.Counts(1, 1, 1, 1));
    assertThat(report.entities().get(PiiEntity.PHONE_NUMBER)).isEqualTo(new PiiReport.Counts(1, 0, 0, 0));
    assertThat(report.entities().get(PiiEntity.IP_ADDRESS)).isEqualTo(new PiiReport.Counts(0, 0, 1, 0));
    assertThat(report.checksums()).containsOnlyKeys("luhnfail", "ssn-area666");
    assertThat(report.falseAccepts()).isZero();
    assertThat(PiiReport.hasCoveredSpan(rows.get(0), PiiScanner.all())).isTrue();
    assertThat(PiiReport.hasCoveredSpan(row("""
        {"id": "x", "text": "Ann", "spans": [{"entity_type": "PERSON", "start": 0, "end": 3}]}"""), PiiScanner.all())).isFalse();
    @SuppressWarnings("unchecked")
    var entities = (Map<String, Object>) report.toMap().get("pii_entities");
    assertThat(entities).containsOnlyKeys("EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS");
    assertThat(report.toMap()).containsEntry("pii_checksum_false_accepts", 0);
  }
}
