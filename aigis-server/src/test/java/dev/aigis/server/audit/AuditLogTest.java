package dev.aigis.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation keeps one chain across files, a deleted file breaks it, a full queue leaves a gap record. */
class AuditLogTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-03-01T12:00:00Z"));

  @TempDir Path dir;

  private List<Path> logFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  private static List<JsonNode> records(Path file) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      records.add(JSON.readTree(line));
    }
    return records;
  }

  private static void write(AuditLog log, int from, int to) {
    for (int i = from; i <= to; i++) {
      log.submit(AuditChainTest.call(i));
    }
  }

  @Test
  void rotationContinuesTheChainAcrossFilesAndADeletedFileIsDetected() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog log = AuditLog.builder(file).clock(CLOCK).maxBytes(1024).files(10).build()) {
      write(log, 1, 12);
    }
    List<Path> files = logFiles();
    assertThat(files).hasSizeGreaterThanOrEqualTo(4);
    for (Path each : files) {
      assertThat(Files.size(each)).isLessThanOrEqualTo(1024);
    }
    // FILE.1 rotated into FILE: the current file starts with the chain head of FILE.1.
    List<String> previous = Files.readAllLines(dir.resolve("audit.jsonl.1"), StandardCharsets.UTF_8);
    JsonNode rotated = records(file).getFirst();
    assertThat(rotated.get("type").asText()).isEqualTo("rotated");
    assertThat(rotated.get("previousFile").asText()).isEqualTo("audit.jsonl.1");
    assertThat(rotated.get("prev").asText()).isEqualTo(AuditChain.hash(previous.getLast().getBytes(StandardCharsets.UTF_8)));
    assertThat(rotated.get("previousSeq").asLong()).isEqualTo(JSON.readTree(previous.getLast()).get("seq").asLong());

    // Any order of the files is put in chain order.
    List<Path> shuffled = new ArrayList<>(files);
    Collections.reverse(shuffled);
    AuditChain.Verdict verdict = AuditChain.verify(shuffled);
    long lines = 0;
    for (Path each : files) {
      lines += Files.readAllLines(each).size();
    }
    assertThat(verdict.problem()).isNull();
    assertThat(verdict.records()).isEqualTo(lines);

    Path middle = dir.resolve("audit.jsonl.2");
    long firstMissing = records(middle).getFirst().get("seq").asLong();
    long lastMissing = records(middle).getLast().get("seq").asLong();
    Files.delete(middle);
    List<Path> remaining = logFiles();
    assertThat(AuditChain.verify(remaining).problem()).isEqualTo(dir.resolve("audit.jsonl.1") + ":1: record seq "
        + (lastMissing + 1) + ": records " + firstMissing + " to " + lastMissing
        + " are missing: the file rotated before this one was deleted");
  }

  @Test
  void retentionDropsTheOldestFilesAndTheRestStillVerifies() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog log = AuditLog.builder(file).clock(CLOCK).maxBytes(1024).files(2).build()) {
      write(log, 1, 20);
    }
    assertThat(logFiles()).containsExactly(file, dir.resolve("audit.jsonl.1"), dir.resolve("audit.jsonl.2"));
    assertThat(AuditChain.verify(logFiles()).problem()).isNull();
  }

  @Test
  void aRestartContinuesTheChain() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    try (AuditLog log = AuditLog.builder(file).clock(CLOCK).build()) {
      write(log, 1, 2);
    }
    try (AuditLog log = AuditLog.builder(file).clock(CLOCK).build()) {
      write(log, 3, 4);
    }
    assertThat(records(file)).extracting(r -> r.get("seq").asLong()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(AuditChain.verify(List.of(file)).problem()).isNull();

    Files.writeString(file, "{\"seq\":5,", java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> AuditLog.builder(file).clock(CLOCK).build())
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("its last line is not a whole record");
  }

  @Test
  void aFullQueueDropsRecordsAndLeavesAGapRecord() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    var release = new CountDownLatch(1);
    AuditLog log = AuditLog.builder(file).clock(CLOCK).queueCapacity(2)
        .threads(work -> new Thread(() -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            return;
          }
          work.run();
        }))
        .build();
    write(log, 1, 5); // the writer is held back: two fit in the queue, three are dropped
    assertThat(log.dropped()).isEqualTo(3);
    release.countDown();
    log.close();
    List<JsonNode> records = records(file);
    assertThat(records).extracting(r -> r.get("type").asText()).containsExactly("gap", "call", "call");
    assertThat(records.getFirst().get("lost").asLong()).isEqualTo(3);
    assertThat(records).extracting(r -> r.path("requestId").asText()).containsExactly("", "req-1", "req-2");
    assertThat(AuditChain.verify(List.of(file)).problem()).isNull();
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> AuditLog.builder(dir.resolve("a")).maxBytes(10).build())
        .hasMessage("audit log max bytes must be at least 1024, not 10");
    assertThatThrownBy(() -> AuditLog.builder(dir.resolve("a")).files(0).build())
        .hasMessage("audit log files must be at least 1, not 0");
  }
}
