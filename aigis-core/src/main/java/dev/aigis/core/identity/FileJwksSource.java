package dev.aigis.core.identity;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A JWKS document on disk (a mounted ConfigMap or Secret). Read on first use, then re-read when its
 * modification time or size changes, which is checked at most once per second. The check is a
 * {@code stat} on the calling thread, and the read a small file once per change: cheap enough for
 * an event loop, and the price of seeing a rotated file within a second.
 */
final class FileJwksSource implements JwksSource {

  static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

  private record Loaded(CompletableFuture<JWKSet> keys, FileTime modified, long size) {}

  private final Path file;
  private final InstantSource clock;
  private final FetchHealth health;
  private volatile Loaded loaded;
  private volatile Instant checkedAt;

  FileJwksSource(Path file, InstantSource clock) {
    this.file = file;
    this.clock = clock;
    this.health = new FetchHealth(file.toString());
  }

  @Override
  public CompletionStage<JWKSet> keys() {
    Instant now = clock.instant();
    Instant checked = checkedAt;
    if (checked == null || !now.isBefore(checked.plus(CHECK_INTERVAL))) {
      check(now);
    }
    Loaded current = loaded;
    return current != null ? current.keys() : CompletableFuture.failedFuture(health.unavailable());
  }

  /** A changed file is noticed by {@link #keys()} within a second; there is nothing to fetch early. */
  @Override
  public CompletionStage<JWKSet> keysWithKid(String kid) {
    return keys();
  }

  private synchronized void check(Instant now) {
    Instant checked = checkedAt;
    if (checked != null && now.isBefore(checked.plus(CHECK_INTERVAL))) {
      return; // another thread checked meanwhile
    }
    checkedAt = now;
    Loaded current = loaded;
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (current != null && attributes.lastModifiedTime().equals(current.modified())
          && attributes.size() == current.size()) {
        return;
      }
      if (attributes.size() > UrlJwksSource.MAX_BYTES) {
        throw new IOException("the file is larger than " + UrlJwksSource.MAX_BYTES + " bytes");
      }
      JWKSet keys = JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8)).toPublicJWKSet();
      loaded = new Loaded(CompletableFuture.completedFuture(keys), attributes.lastModifiedTime(), attributes.size());
      health.succeeded();
    } catch (IOException | ParseException | RuntimeException e) {
      health.failed(e, current != null);
    }
  }
}
