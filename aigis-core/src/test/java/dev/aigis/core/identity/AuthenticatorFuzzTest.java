package dev.aigis.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aigis.model.policy.ApiKey;
import dev.aigis.model.policy.Authentication;
import dev.aigis.model.policy.JwtProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Coverage-guided fuzzing of what a client presents as a credential (any header value, hostile):
 * the Authenticator must answer Missing, Rejected with a reason that never quotes what was sent,
 * or Authenticated only for the one real key, and never throw. Corpus:
 * {@code AuthenticatorFuzzTestInputs/credential}: real keys and tokens, and what fuzzing kept.
 */
class AuthenticatorFuzzTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final String KEY = "sk-aigis-" + "k".repeat(43);
  static final Authenticator AUTHENTICATOR = authenticator();

  private static Authenticator authenticator() {
    try {
      Path jwks = Files.createTempFile("aigis-fuzz-jwks", ".json");
      Files.writeString(jwks, Tokens.jwks(Tokens.RSA.toPublicJWK(), Tokens.EC.toPublicJWK()));
      jwks.toFile().deleteOnExit();
      var clock = new TestClock(NOW);
      var provider = new JwtProvider("corp", Tokens.ISSUER, List.of("aigis"), jwks.toString(), null, null,
          List.of("RS256", "ES256"), null, null);
      var keys = List.of(new ApiKey("alice", "research", ApiKeys.sha256(KEY), null, null, null, "ns/aigis-key-alice"));
      return Authenticator.of(new Authentication(true, List.of(provider)), keys, new JwksSources(clock), clock);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @FuzzTest
  void credential(FuzzedDataProvider data) throws Exception {
    String header = data.pickValue(List.of("authorization", "x-api-key", "api-key"));
    String value = data.consumeRemainingAsString();
    AuthResult result = AUTHENTICATOR.authenticate(name -> name.equals(header) ? List.of(value) : null)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    switch (result) {
      case AuthResult.Missing m -> assertThat(value.strip()).satisfiesAnyOf(
          v -> assertThat(v).isEmpty(), v -> assertThat(header).isEqualTo("authorization"));
      case AuthResult.Rejected r -> {
        assertThat(r.reason()).isNotBlank();
        if (value.strip().length() >= 12) {
          assertThat(r.reason()).doesNotContain(value.strip());
        }
      }
      case AuthResult.Authenticated a -> assertThat(a.identity().name()).isEqualTo("alice");
    }
  }
}
