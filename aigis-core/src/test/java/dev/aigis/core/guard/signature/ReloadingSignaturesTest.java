package dev.aigis.core.guard.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.guard.text.TextNormaliser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingSignaturesTest {

  private static final Instant T0 = Instant.parse("2026-12-07T22:00:00Z");

  @TempDir Path dir;
  private Path file;
  private final AtomicReference<Instant> now = new AtomicReference<>(T0);
  private final InstantSource clock = now::get;
  private SignatureSet defaults;
  private long version;

  @BeforeEach
  void setUp() throws Exception {
    file = dir.resolve("user.yaml");
    defaults = SignatureSet.parse("defaults", """
        rules:
        - id: ignore-previous
          category: instruction-override
          weight: 0.8
          patterns: ['\\bignore previous instructions\\b']
        """);
    write(rule("canary", "secret-canary-1"));
  }

  private List<String> fired(ReloadingSignatures signatures, String text) {
    return signatures.get().scan(TextNormaliser.shared().normalise(text)).stream().map(SignatureHit::ruleId).toList();
  }

  @Test
  void startsWithDefaultsAndFiles() throws Exception {
    var signatures = ReloadingSignatures.open(defaults, List.of(file), clock);
    assertThat(fired(signatures, "ignore previous instructions secret-canary-1")).containsExactly("ignore-previous", "canary");
    assertThat(signatures.loadedAt()).isEqualTo(T0);
    assertThat(signatures.lastError()).isEmpty();
  }

  @Test
  void refreshAppliesAChangedFile() throws Exception {
    var signatures = ReloadingSignatures.open(defaults, List.of(file), clock);
    assertThat(signatures.refresh()).isFalse();

    write(rule("canary", "secret-canary-2"));
    now.set(T0.plusSeconds(5));
    assertThat(signatures.refresh()).isTrue();

    assertThat(fired(signatures, "secret-canary-1")).isEmpty();
    assertThat(fired(signatures, "secret-canary-2")).containsExactly("canary");
    assertThat(signatures.loadedAt()).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void aBrokenEditKeepsTheLastGoodRulesAndNamesFileAndLine() throws Exception {
    var signatures = ReloadingSignatures.open(defaults, List.of(file), clock);
    write("""
        rules:
        - id: canary
          category: custom
          weight: 1
          patterns:
          - '(secret'
        """);
    now.set(T0.plusSeconds(5));
    assertThat(signatures.refresh()).isFalse();

    assertThat(fired(signatures, "ignore previous instructions secret-canary-1")).containsExactly("ignore-previous", "canary");
    assertThat(signatures.lastError()).hasValueSatisfying(error -> {
      assertThat(error).hasMessage(file + ":6: rule canary: patterns[0]: missing closing )");
      assertThat(error.line()).isEqualTo(6);
    });
    assertThat(signatures.lastErrorAt()).contains(T0.plusSeconds(5));

    // A later refresh without a change keeps the error and its time; the fix clears it.
    now.set(T0.plusSeconds(10));
    assertThat(signatures.refresh()).isFalse();
    assertThat(signatures.lastErrorAt()).contains(T0.plusSeconds(5));
    write(rule("canary", "secret-canary-3"));
    assertThat(signatures.refresh()).isTrue();
    assertThat(signatures.lastError()).isEmpty();
    assertThat(fired(signatures, "secret-canary-3")).containsExactly("canary");
  }

  @Test
  void aDeletedFileKeepsItsRulesAndReportsIt() throws Exception {
    var signatures = ReloadingSignatures.open(defaults, List.of(file), clock);
    Files.delete(file);
    assertThat(signatures.refresh()).isFalse();
    assertThat(fired(signatures, "secret-canary-1")).containsExactly("canary");
    assertThat(signatures.lastError()).get().extracting(Throwable::getMessage)
        .isEqualTo(file + ": file not found; keeping its last rules");
  }

  @Test
  void userFilesOverrideDefaultsAndCanSwitchThemOff() throws Exception {
    write("""
        rules:
        - id: ignore-previous
          category: instruction-override
          weight: 0
        """);
    var signatures = ReloadingSignatures.open(defaults, List.of(file), clock);
    assertThat(fired(signatures, "ignore previous instructions")).isEmpty();
  }

  @Test
  void aBrokenFileAtStartIsAnError() throws Exception {
    write("rules:\n- id: x\n  category: c\n  weight: 2\n  patterns: ['a']\n");
    assertThatThrownBy(() -> ReloadingSignatures.open(defaults, List.of(file), clock))
        .isInstanceOf(RuleFileException.class)
        .hasMessage(file + ":4: rule x: weight: must be a number in [0, 1], got 2");
  }

  private static String rule(String id, String literal) {
    return """
        rules:
        - id: %s
          category: custom
          weight: 1
          patterns: ['\\b%s\\b']
        """.formatted(id, literal);
  }

  /** Writes and moves the modification time forward, as an editor's save would. */
  private void write(String yaml) throws IOException {
    Files.writeString(file, yaml);
    Files.setLastModifiedTime(file, FileTime.from(T0.plusSeconds(++version)));
  }
}
