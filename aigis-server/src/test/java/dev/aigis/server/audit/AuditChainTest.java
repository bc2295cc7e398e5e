package dev.aigis.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of tampering with one audit file is reported at the first bad record, with its line. */
class AuditChainTest {

  static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-03-01T12:00:00Z"));

  @TempDir Path dir;
  Path file;
  List<String> lines;

  static AuditRecord call(int i) {
    return new AuditRecord("req-" + i, "alice", "research", "default/all", "default/fake", "127.0.0.1:9000",
        "model-" + i, 200, null, new AuditRecord.Policy("allowed", null), new AuditRecord.Tokens(3, 4, 7), 12, 5L,
        List.of(new AuditRecord.Attempt("default/fake", "127.0.0.1:9000", 200, null)), null, null);
  }

  @BeforeEach
  void writeSix() throws Exception {
    file = dir.resolve("audit.jsonl");
    try (AuditLog log = AuditLog.builder(file).clock(CLOCK).build()) {
      for (int i = 1; i <= 6; i++) {
        log.submit(call(i));
      }
    }
    lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  private String verify() throws IOException {
    Files.write(file, lines, StandardCharsets.UTF_8);
    AuditChain.Verdict verdict = AuditChain.verify(List.of(file));
    return verdict.ok() ? "ok: " + verdict.records() : verdict.problem();
  }

  @Test
  void anIntactChainVerifies() throws IOException {
    assertThat(lines).hasSize(6);
    assertThat(lines.getFirst()).startsWith("{\"seq\":1,\"time\":\"2026-03-01T12:00:00Z\",\"type\":\"call\",\"prev\":\""
        + AuditChain.GENESIS + "\",\"requestId\":\"req-1\",\"identity\":\"alice\"");
    assertThat(lines.get(1)).contains("\"prev\":\"" + AuditChain.hash(lines.getFirst().getBytes(StandardCharsets.UTF_8)) + "\"");
    assertThat(verify()).isEqualTo("ok: 6");
  }

  @Test
  void anEditedRecordIsNamed() throws IOException {
    lines.set(2, lines.get(2).replace("model-3", "model-x"));
    assertThat(verify()).isEqualTo(file + ":3: record seq 3: edited: its hash does not match the prev of the record after it");
  }

  @Test
  void anEditedSeqIsNamed() throws IOException {
    lines.set(2, lines.get(2).replace("\"seq\":3", "\"seq\":9"));
    assertThat(verify()).isEqualTo(file + ":3: record seq 9: edited: its seq should be 3");
  }

  @Test
  void aRemovedRecordIsNamed() throws IOException {
    lines.remove(2);
    assertThat(verify()).isEqualTo(file + ":3: record seq 4: record 3 is missing (removed)");
  }

  @Test
  void anInsertedRecordIsNamed() throws IOException {
    lines.add(4, lines.get(1));
    assertThat(verify()).isEqualTo(file + ":5: record seq 2: inserted: the record after it chains to seq 4");
  }

  @Test
  void aForgedRecordWithTheRightSeqIsNamed() throws IOException {
    lines.add(3, lines.get(3).replace("model-4", "model-forged"));
    assertThat(verify()).isEqualTo(file + ":4: record seq 4: inserted: the record after it chains to seq 3");
  }

  @Test
  void swappedRecordsAreNamed() throws IOException {
    String third = lines.get(2);
    lines.set(2, lines.get(3));
    lines.set(3, third);
    assertThat(verify()).isEqualTo(file + ":3: record seq 4: out of order: it comes before seq 3 (records were swapped)");
  }

  @Test
  void aRemovedFirstRecordIsNamed() throws IOException {
    lines.removeFirst();
    assertThat(verify()).isEqualTo(file + ":1: record seq 2: the chain starts at seq 2 with a 'call' record: "
        + "earlier records were removed");
  }

  @Test
  void aLineThatIsNotARecordIsNamed() throws IOException {
    lines.set(1, "not json");
    assertThat(verify()).isEqualTo(file + ":2: not a valid audit record (not JSON)");
  }
}
