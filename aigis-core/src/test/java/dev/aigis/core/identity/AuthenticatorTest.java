package dev.aigis.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.identity.AuthResult.Authenticated;
import dev.aigis.core.identity.AuthResult.Missing;
import dev.aigis.core.identity.AuthResult.Rejected;
import dev.aigis.model.policy.ApiKey;
import dev.aigis.model.policy.Authentication;
import dev.aigis.model.policy.JwtProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which header a credential comes from, what it is taken for, and what clients are told. */
class AuthenticatorTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final String KEY = "sk-aigis-" + "k".repeat(43);

  @TempDir Path dir;
  final TestClock clock = new TestClock(NOW);
  JwksSources sources;
  List<ApiKey> keys;
  List<JwtProvider> providers;

  @BeforeEach
  void setUp() throws Exception {
    Path corp = dir.resolve("corp.json");
    Files.writeString(corp, Tokens.jwks(Tokens.RSA.toPublicJWK()));
    Path partner = dir.resolve("partner.json");
    Files.writeString(partner, Tokens.jwks(Tokens.EC.toPublicJWK()));
    sources = new JwksSources(clock);
    keys = List.of(new ApiKey("alice", "research", ApiKeys.sha256(KEY), null, null, null, "ns/aigis-key-alice"));
    providers = List.of(
        new JwtProvider("corp", Tokens.ISSUER, List.of("aigis"), corp.toString(), null, null, null, null, null),
        // Same issuer, another audience and key file: tried second.
        new JwtProvider("corp-batch", Tokens.ISSUER, List.of("batch"), partner.toString(), null, null, null, null, null),
        new JwtProvider("partner", "https://partner.example", List.of(), partner.toString(), null, null, null, null, null));
  }

  @AfterEach
  void tearDown() {
    sources.close();
  }

  Authenticator authenticator(boolean apiKeys, List<JwtProvider> jwt) {
    return Authenticator.of(new Authentication(apiKeys, jwt), keys, sources, clock);
  }

  static AuthResult run(Authenticator authenticator, Map<String, List<String>> headers) {
    try {
      return authenticator.authenticate(headers::get).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  AuthResult run(Map<String, List<String>> headers) {
    return run(authenticator(true, providers), headers);
  }

  static Map<String, List<String>> headers(String... nameValue) {
    Map<String, List<String>> headers = new HashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      headers.computeIfAbsent(nameValue[i], k -> new java.util.ArrayList<>()).add(nameValue[i + 1]);
    }
    return headers;
  }

  static void assertAuthenticated(AuthResult result, String name, String header) {
    assertThat(result).isInstanceOf(Authenticated.class);
    assertThat(((Authenticated) result).identity().name()).isEqualTo(name);
    assertThat(((Authenticated) result).consumedHeader()).isEqualTo(header);
  }

  @Test
  void noCredentialIsMissing() {
    assertThat(run(headers())).isEqualTo(new Missing());
    assertThat(run(headers("authorization", " ", "x-api-key", ""))).isEqualTo(new Missing());
    assertThat(run(headers("cookie", KEY))).isEqualTo(new Missing());
  }

  @Test
  void apiKeyIsReadFromEachOfTheThreeHeaders() {
    assertAuthenticated(run(headers("authorization", "Bearer " + KEY)), "alice", "authorization");
    assertAuthenticated(run(headers("authorization", "bearer   " + KEY + " ")), "alice", "authorization");
    assertAuthenticated(run(headers("x-api-key", KEY)), "alice", "x-api-key");
    assertAuthenticated(run(headers("api-key", KEY)), "alice", "api-key");
  }

  @Test
  void apiKeysOnlyWhereThePolicyAcceptsThem() {
    assertThat(run(authenticator(false, providers), headers("x-api-key", KEY)))
        .isEqualTo(new Rejected("API keys are not accepted here"));
    assertThat(run(headers("x-api-key", "sk-aigis-wrong"))).isEqualTo(new Rejected("invalid API key"));
  }

  @Test
  void jwtGoesToTheProvidersOfItsIssuer() {
    String corp = Tokens.sign(Tokens.RSA, Tokens.claims(NOW).build());
    AuthResult result = run(headers("authorization", "Bearer " + corp));
    assertAuthenticated(result, "alice", "authorization");
    assertThat(((Authenticated) result).identity().provider()).isEqualTo("corp");

    // Same issuer, audience only the second provider accepts (its key file holds the EC key).
    String batch = Tokens.sign(Tokens.EC, Tokens.claims(NOW).audience("batch").build());
    assertThat(((Authenticated) run(headers("authorization", "Bearer " + batch))).identity().provider())
        .isEqualTo("corp-batch");

    String partner = Tokens.sign(Tokens.EC, Tokens.claims(NOW).issuer("https://partner.example").build());
    assertThat(((Authenticated) run(headers("x-api-key", partner))).identity().provider()).isEqualTo("partner");
  }

  @Test
  void jwtRejectionsNameTheFirstProvidersReason() {
    String neither = Tokens.sign(Tokens.RSA, Tokens.claims(NOW).audience("nobody").build());
    assertThat(run(headers("authorization", "Bearer " + neither))).isEqualTo(new Rejected("token audience is not accepted"));
    String stranger = Tokens.sign(Tokens.RSA, Tokens.claims(NOW).issuer("https://stranger.example").build());
    assertThat(run(headers("authorization", "Bearer " + stranger)))
        .isEqualTo(new Rejected("token issuer is not accepted here"));
    assertThat(run(headers("authorization", "Bearer a.b.c"))).isEqualTo(new Rejected("malformed token"));
    assertThat(run(authenticator(true, List.of()), headers("authorization", "Bearer a.b.c")))
        .isEqualTo(new Rejected("JWTs are not accepted here"));
  }

  @Test
  void repeatedJwtIsAnsweredFromTheCache() {
    String corp = Tokens.sign(Tokens.RSA, Tokens.claims(NOW).build());
    Authenticator authenticator = authenticator(true, providers);
    assertAuthenticated(run(authenticator, headers("authorization", "Bearer " + corp)), "alice", "authorization");
    assertAuthenticated(run(authenticator, headers("api-key", corp)), "alice", "api-key");
  }

  @Test
  void unrecognisedCredentialsAndSchemesAreRejected() {
    assertThat(run(headers("x-api-key", "sk-openai-123"))).isEqualTo(new Rejected("unrecognised credential"));
    assertThat(run(headers("authorization", "Bearer opaque-token"))).isEqualTo(new Rejected("unrecognised credential"));
    assertThat(run(headers("authorization", "Basic YWxpY2U6c2VjcmV0")))
        .isEqualTo(new Rejected("unsupported Authorization scheme; send Authorization: Bearer <token>"));
    assertThat(run(headers("authorization", KEY)))
        .isEqualTo(new Rejected("unsupported Authorization scheme; send Authorization: Bearer <token>"));
    assertThat(run(headers("authorization", "Bearer  "))).isInstanceOf(Rejected.class);
  }

  @Test
  void moreThanOneCredentialIsRejected() {
    String other = "sk-aigis-" + "o".repeat(43);
    assertThat(run(headers("authorization", "Bearer " + KEY, "x-api-key", other)))
        .isEqualTo(new Rejected("more than one credential"));
    assertThat(run(headers("x-api-key", KEY, "x-api-key", other))).isEqualTo(new Rejected("more than one credential"));
    // Even the same key twice: only one header is stripped, the copy would travel upstream.
    assertThat(run(headers("x-api-key", KEY, "api-key", KEY))).isEqualTo(new Rejected("more than one credential"));
    // The same value repeated in one header is one credential.
    assertAuthenticated(run(headers("x-api-key", KEY, "x-api-key", KEY)), "alice", "x-api-key");
  }

  @Test
  void reasonsNeverEchoTheCredential() {
    for (String credential : List.of(KEY, "sk-aigis-wrong", "sk-openai-123", "a.b.c",
        Tokens.sign(Tokens.RSA_OTHER, Tokens.claims(NOW).build()))) {
      AuthResult result = run(authenticator(false, providers), headers("x-api-key", credential));
      assertThat(result).isInstanceOf(Rejected.class);
      assertThat(((Rejected) result).reason()).doesNotContain(credential);
    }
  }
}
