package dev.aigis.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import dev.aigis.core.identity.AuthResult.Authenticated;
import dev.aigis.core.identity.AuthResult.Rejected;
import dev.aigis.model.policy.JwtProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JWKS over HTTP from a loopback server: caching, background refresh, rotation, failures, limits. */
class UrlJwksSourceTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration REFRESH = Duration.ofMinutes(5);

  final TestClock clock = new TestClock(NOW);
  JwksServer server;
  JwksSources sources;
  JwksSource source;
  JwtVerifier verifier;

  @BeforeEach
  void setUp() {
    server = new JwksServer();
    server.serve(Tokens.jwks(Tokens.RSA.toPublicJWK(), Tokens.EC.toPublicJWK()));
    sources = new JwksSources(clock);
    source = sources.url(server.uri(), REFRESH);
    verifier = new JwtVerifier(
        new JwtProvider("corp", Tokens.ISSUER, List.of(), null, server.uri(), REFRESH, null, null, null), source, clock);
  }

  @AfterEach
  void tearDown() {
    sources.close();
    server.close();
  }

  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  AuthResult verify(String token) {
    return await(verifier.verify(token));
  }

  String token(com.nimbusds.jose.jwk.JWK key, String id) {
    return Tokens.sign(key, Tokens.claims(clock.instant()).jwtID(id).build());
  }

  void awaitBackgroundFetch() {
    await(((UrlJwksSource) source).pendingFetch());
  }

  @Test
  void rsaAndEcTokensVerifyWithOneFetch() {
    assertThat(verify(token(Tokens.RSA, "a"))).isInstanceOf(Authenticated.class);
    assertThat(verify(token(Tokens.EC, "b"))).isInstanceOf(Authenticated.class);
    assertThat(server.requests()).isEqualTo(1);
    assertThat(verifier.verify(token(Tokens.EC, "c")).toCompletableFuture()).as("cached keys answer at once").isCompleted();
  }

  @Test
  void concurrentFirstCallersShareOneFetch() {
    CountDownLatch release = server.hold();
    var first = source.keys().toCompletableFuture();
    var second = source.keys().toCompletableFuture();
    assertThat(first).isNotDone();
    release.countDown();
    assertThat(await(first).getKeyByKeyId("rsa-1")).isNotNull();
    assertThat(await(second).getKeyByKeyId("ec-1")).isNotNull();
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void staleSetIsServedWhileOneBackgroundFetchReplacesIt() {
    await(source.keys());
    server.serve(Tokens.jwks(Tokens.RSA_ROTATED.toPublicJWK()));
    CountDownLatch release = server.hold();
    clock.advance(REFRESH);

    var stale = source.keys().toCompletableFuture();
    assertThat(stale).isCompleted();
    assertThat(stale.join().getKeyByKeyId("rsa-1")).isNotNull();
    assertThat(source.keys().toCompletableFuture().join().getKeyByKeyId("rsa-1")).isNotNull();
    release.countDown();
    awaitBackgroundFetch();
    assertThat(server.requests()).isEqualTo(2);
    JWKSet fresh = source.keys().toCompletableFuture().join();
    assertThat(fresh.getKeyByKeyId("rsa-2")).isNotNull();
    assertThat(fresh.getKeyByKeyId("rsa-1")).isNull();
  }

  @Test
  void newKidIsFetchedAtOnceButAtMostOncePer30Seconds() {
    assertThat(verify(token(Tokens.RSA, "a"))).isInstanceOf(Authenticated.class);
    assertThat(server.requests()).isEqualTo(1);

    // The issuer rotates: it serves the new key, then signs with it. No restart, no refresh wait.
    server.serve(Tokens.jwks(Tokens.RSA.toPublicJWK(), Tokens.RSA_ROTATED.toPublicJWK()));
    clock.advance(Duration.ofSeconds(1));
    assertThat(verify(token(Tokens.RSA_ROTATED, "b"))).isInstanceOf(Authenticated.class);
    assertThat(server.requests()).isEqualTo(2);

    // A made-up kid within 30 s: no fetch.
    var unknown = Tokens.rsa("made-up");
    clock.advance(Duration.ofSeconds(29));
    assertThat(verify(token(unknown, "c"))).isEqualTo(new Rejected("no signing key of the issuer matches the token"));
    assertThat(verify(token(unknown, "d"))).isInstanceOf(Rejected.class);
    assertThat(server.requests()).isEqualTo(2);

    // 30 s after the last kid fetch, one more.
    clock.advance(Duration.ofSeconds(1));
    assertThat(verify(token(unknown, "e"))).isInstanceOf(Rejected.class);
    assertThat(server.requests()).isEqualTo(3);
    assertThat(verify(token(Tokens.RSA, "f"))).as("known keys unaffected").isInstanceOf(Authenticated.class);
  }

  @Test
  void failedFetchKeepsTheOldSetAndIsRetriedOnlyAfterAWhile() {
    await(source.keys());
    server.fail(503);
    clock.advance(REFRESH);
    assertThat(source.keys().toCompletableFuture().join().getKeyByKeyId("rsa-1")).isNotNull();
    awaitBackgroundFetch();
    assertThat(server.requests()).isEqualTo(2);

    // Requests keep working on the old keys and do not each trigger a fetch.
    for (int i = 0; i < 20; i++) {
      assertThat(verify(token(Tokens.RSA, "t" + i))).isInstanceOf(Authenticated.class);
    }
    awaitBackgroundFetch();
    assertThat(server.requests()).isEqualTo(2);

    // A kid-triggered fetch that fails also falls back to the old set.
    assertThat(verify(token(Tokens.RSA_ROTATED, "x"))).isEqualTo(new Rejected("no signing key of the issuer matches the token"));
    assertThat(server.requests()).isEqualTo(3);

    // The issuer recovers; after the retry delay the next request refreshes.
    server.serve(Tokens.jwks(Tokens.RSA_ROTATED.toPublicJWK()));
    clock.advance(UrlJwksSource.RETRY_AFTER_FAILURE);
    source.keys();
    awaitBackgroundFetch();
    assertThat(server.requests()).isEqualTo(4);
    assertThat(verify(token(Tokens.RSA_ROTATED, "y"))).isInstanceOf(Authenticated.class);
  }

  @Test
  void failuresAreLoggedOncePerTransition() {
    var records = new java.util.concurrent.CopyOnWriteArrayList<java.util.logging.LogRecord>();
    var handler = new java.util.logging.Handler() {
      @Override public void publish(java.util.logging.LogRecord record) {
        if (record.getMessage().contains(server.uri().toString())) {
          records.add(record);
        }
      }
      @Override public void flush() {}
      @Override public void close() {}
    };
    var logger = java.util.logging.Logger.getLogger(JwksSource.class.getName());
    logger.addHandler(handler);
    try {
      await(source.keys());
      server.fail(502);
      for (int i = 0; i < 3; i++) {
        clock.advance(REFRESH);
        source.keys();
        awaitBackgroundFetch();
      }
      server.serve(Tokens.jwks(Tokens.RSA.toPublicJWK()));
      clock.advance(REFRESH);
      source.keys();
      awaitBackgroundFetch();
      assertThat(server.requests()).isEqualTo(5);
      assertThat(records).extracting(r -> r.getLevel().getName()).containsExactly("WARNING", "INFO");
      assertThat(records.getFirst().getMessage()).contains("keeping the keys loaded before", "HTTP status 502");
    } finally {
      logger.removeHandler(handler);
    }
  }

  @Test
  void noKeysYetRejectsWithoutDetailAndRetriesAfterADelay() {
    server.fail(500);
    assertThat(verify(token(Tokens.RSA, "a")))
        .isEqualTo(new Rejected("cannot verify token: the issuer's signing keys are unavailable"));
    assertThat(verify(token(Tokens.RSA, "b"))).isInstanceOf(Rejected.class);
    assertThat(server.requests()).isEqualTo(1);
    server.serve(Tokens.jwks(Tokens.RSA.toPublicJWK()));
    clock.advance(UrlJwksSource.RETRY_AFTER_FAILURE);
    assertThat(verify(token(Tokens.RSA, "c"))).isInstanceOf(Authenticated.class);
    assertThat(server.requests()).isEqualTo(2);
  }

  @Test
  void oversizedOrInvalidDocumentsAreRefused() {
    server.serve("{\"keys\":[],\"padding\":\"" + "x".repeat(UrlJwksSource.MAX_BYTES) + "\"}");
    assertThat(source.keys().toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
    server.serve("[1,2,3]");
    clock.advance(UrlJwksSource.RETRY_AFTER_FAILURE);
    assertThat(source.keys().toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
  }

  @Test
  void sourcesAreSharedPerUrlAndFile() {
    assertThat(sources.url(server.uri(), Duration.ofMinutes(1))).isSameAs(source);
    var file = java.nio.file.Path.of("/tmp/../tmp/jwks.json");
    assertThat(sources.file(file)).isSameAs(sources.file(java.nio.file.Path.of("/tmp/jwks.json")));
    assertThat(sources.file(file)).isNotSameAs(source);
  }

  @Test
  void closedRegistryFailsFetchesButKeepsLoadedKeys() {
    await(source.keys());
    sources.close();
    clock.advance(REFRESH);
    assertThat(source.keys().toCompletableFuture().join().getKeyByKeyId("rsa-1")).isNotNull();
    awaitBackgroundFetch();
    assertThat(verify(token(Tokens.RSA, "a"))).isInstanceOf(Authenticated.class);
  }
}
