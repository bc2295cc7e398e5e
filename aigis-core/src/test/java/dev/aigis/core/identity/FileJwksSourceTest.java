package dev.aigis.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJwksSourceTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;
  final TestClock clock = new TestClock(NOW);

  static JWKSet now(CompletionStage<JWKSet> stage) {
    assertThat(stage.toCompletableFuture()).isCompleted();
    return stage.toCompletableFuture().join();
  }

  /** Writes and stamps a distinct modification time, as a ConfigMap update would. */
  static void write(Path file, String jwks, int second) throws Exception {
    Files.writeString(file, jwks);
    Files.setLastModifiedTime(file, FileTime.from(NOW.plusSeconds(second)));
  }

  @Test
  void changedFileIsReadAgainWithinASecond() throws Exception {
    Path file = dir.resolve("jwks.json");
    write(file, Tokens.jwks(Tokens.RSA.toPublicJWK()), 0);
    var source = new FileJwksSource(file, clock);
    assertThat(now(source.keys()).getKeyByKeyId("rsa-1")).isNotNull();

    write(file, Tokens.jwks(Tokens.RSA_ROTATED.toPublicJWK()), 10);
    clock.advance(Duration.ofMillis(999));
    assertThat(now(source.keys()).getKeyByKeyId("rsa-1")).as("checked at most once per second").isNotNull();
    clock.advance(Duration.ofMillis(1));
    JWKSet reloaded = now(source.keys());
    assertThat(reloaded.getKeyByKeyId("rsa-1")).isNull();
    assertThat(reloaded.getKeyByKeyId("rsa-2")).isNotNull();
  }

  @Test
  void brokenOrMissingFileKeepsTheKeysLoadedBefore() throws Exception {
    Path file = dir.resolve("jwks.json");
    write(file, Tokens.jwks(Tokens.RSA.toPublicJWK()), 0);
    var source = new FileJwksSource(file, clock);
    now(source.keys());
    write(file, "{not json", 5);
    clock.advance(Duration.ofSeconds(1));
    assertThat(now(source.keys()).getKeyByKeyId("rsa-1")).isNotNull();
    Files.delete(file);
    clock.advance(Duration.ofSeconds(1));
    assertThat(now(source.keys()).getKeyByKeyId("rsa-1")).isNotNull();
    write(file, Tokens.jwks(Tokens.EC.toPublicJWK()), 9);
    clock.advance(Duration.ofSeconds(1));
    assertThat(now(source.keys()).getKeyByKeyId("ec-1")).isNotNull();
  }

  @Test
  void neverLoadedFileFailsTheStage() {
    var source = new FileJwksSource(dir.resolve("absent.json"), clock);
    assertThat(source.keys().toCompletableFuture()).isCompletedExceptionally();
  }

  @Test
  void privateKeyMaterialInTheFileIsDropped() throws Exception {
    Path file = dir.resolve("jwks.json");
    write(file, new JWKSet(Tokens.RSA).toString(false), 0);
    assertThat(now(new FileJwksSource(file, clock).keys()).getKeyByKeyId("rsa-1").isPrivate()).isFalse();
  }
}
