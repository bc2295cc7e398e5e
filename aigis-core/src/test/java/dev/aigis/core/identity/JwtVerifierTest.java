package dev.aigis.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.aigis.core.identity.AuthResult.Authenticated;
import dev.aigis.core.identity.AuthResult.Rejected;
import dev.aigis.model.policy.JwtProvider;
import dev.aigis.model.policy.JwtProvider.ClaimMapping;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One provider's checks, with keys from a JWKS file. */
class JwtVerifierTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration SKEW = Duration.ofSeconds(30);

  @TempDir Path dir;
  TestClock clock = new TestClock(NOW);
  Path jwksFile;
  JwtVerifier verifier;

  static JwtProvider provider(String jwksFile, List<String> audiences, List<String> algorithms, ClaimMapping claims) {
    return new JwtProvider("corp", Tokens.ISSUER, audiences, jwksFile, null, null, algorithms, SKEW, claims);
  }

  @BeforeEach
  void setUp() throws Exception {
    jwksFile = dir.resolve("jwks.json");
    Files.writeString(jwksFile, Tokens.jwks(Tokens.RSA.toPublicJWK(), Tokens.EC.toPublicJWK()));
    verifier = verifierFor(provider(jwksFile.toString(), List.of("aigis", "other"), null, null));
  }

  JwtVerifier verifierFor(JwtProvider provider) {
    return new JwtVerifier(provider, new FileJwksSource(Path.of(provider.jwksFile()), clock), clock);
  }

  AuthResult verify(String token) {
    return verify(verifier, token);
  }

  static AuthResult verify(JwtVerifier verifier, String token) {
    try {
      return verifier.verify(token).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Identity identity(AuthResult result) {
    assertThat(result).isInstanceOf(Authenticated.class);
    return ((Authenticated) result).identity();
  }

  @Test
  void validRsaAndEcTokensAreAcceptedAtOnce() {
    var stage = verifier.verify(Tokens.sign(Tokens.RSA, Tokens.claims(NOW).build())).toCompletableFuture();
    assertThat(stage).isCompleted(); // a file source never makes the caller wait
    Identity rsa = identity(stage.join());
    assertThat(rsa.kind()).isEqualTo(Identity.Kind.JWT);
    assertThat(rsa.name()).isEqualTo("alice");
    assertThat(rsa.provider()).isEqualTo("corp");
    assertThat(((Authenticated) stage.join()).consumedHeader()).isNull();
    assertThat(identity(verify(Tokens.sign(Tokens.EC, Tokens.claims(NOW).build()))).name()).isEqualTo("alice");
  }

  @Test
  void tokenWithoutKidIsCheckedAgainstKeysOfItsType() {
    String token = Tokens.sign(Tokens.EC, Tokens.claims(NOW).build(), h -> h.keyID(null));
    assertThat(identity(verify(token)).name()).isEqualTo("alice");
  }

  @Test
  void claimsMapToTheIdentity() {
    JWTClaimsSet claims = Tokens.claims(NOW)
        .claim("team", "research")
        .claim("groups", List.of("admins", "", 7, "ml"))
        .claim("nested", Map.of("a", List.of(1, 2)))
        .build();
    Identity identity = identity(verify(Tokens.sign(Tokens.RSA, claims)));
    assertThat(identity.team()).isEqualTo("research");
    assertThat(identity.groups()).containsExactly("admins", "ml");
    assertThat(identity.labels()).isEmpty();
    assertThat(identity.modelGlobs()).isEmpty();
    assertThat(identity.claims()).containsEntry("sub", "alice").containsEntry("iss", Tokens.ISSUER)
        .containsEntry("exp", NOW.plusSeconds(3600).getEpochSecond())
        .containsEntry("nested", Map.of("a", List.of(1L, 2L)));
    assertThatThrownBy(() -> identity.claims().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void claimMappingNamesOtherClaimsAndGroupsMayBeOneString() {
    verifier = verifierFor(provider(jwksFile.toString(), List.of(), null, new ClaimMapping("email", "org", "scope")));
    JWTClaimsSet claims = Tokens.claims(NOW).claim("email", "alice@example.com").claim("org", "ml")
        .claim("scope", " read write,admin ,, ").build();
    Identity identity = identity(verify(Tokens.sign(Tokens.RSA, claims)));
    assertThat(identity.name()).isEqualTo("alice@example.com");
    assertThat(identity.team()).isEqualTo("ml");
    assertThat(identity.groups()).containsExactly("read", "write", "admin");
  }

  @Test
  void nonStringTeamIsIgnoredAndMissingSubjectIsRejected() {
    Identity identity = identity(verify(Tokens.sign(Tokens.RSA, Tokens.claims(NOW).claim("team", 42).build())));
    assertThat(identity.team()).isNull();
    assertThat(verify(Tokens.sign(Tokens.RSA, Tokens.claims(NOW).subject(null).build())))
        .isEqualTo(new Rejected("token has no sub claim"));
  }

  @Test
  void badSignatureIsRejected() {
    // Same kid, another key.
    assertThat(verify(Tokens.sign(Tokens.RSA_OTHER, Tokens.claims(NOW).build())))
        .isEqualTo(new Rejected("invalid token signature"));
    // Valid signature, claims changed afterwards.
    String[] parts = Tokens.sign(Tokens.RSA, Tokens.claims(NOW).build()).split("\\.");
    String forgedClaims = Base64URL.encode(Tokens.claims(NOW).subject("root").build().toString()).toString();
    assertThat(verify(parts[0] + "." + forgedClaims + "." + parts[2])).isEqualTo(new Rejected("invalid token signature"));
  }

  @Test
  void unknownKidIsRejected() {
    assertThat(verify(Tokens.sign(Tokens.RSA_ROTATED, Tokens.claims(NOW).build())))
        .isEqualTo(new Rejected("no signing key of the issuer matches the token"));
  }

  @Test
  void algNoneIsRejected() {
    String unsigned = new PlainJWT(Tokens.claims(NOW).build()).serialize();
    assertThat(verify(unsigned)).isInstanceOf(Rejected.class);
    // A "signed" token whose header says none, with an empty signature part.
    String header = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"rsa-1\"}").toString();
    String body = Base64URL.encode(Tokens.claims(NOW).build().toString()).toString();
    assertThat(verify(header + "." + body + ".")).isInstanceOf(Rejected.class);
  }

  @Test
  void hmacWithThePublicKeyAsSecretIsRejected() throws JOSEException {
    byte[] publicKey = Tokens.RSA.toRSAPublicKey().getEncoded();
    var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), Tokens.claims(NOW).build());
    jwt.sign(new MACSigner(publicKey));
    assertThat(verify(jwt.serialize())).isEqualTo(new Rejected("token algorithm is not accepted"));
    // Also with the JWK's JSON as the secret.
    var jwt2 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), Tokens.claims(NOW).build());
    jwt2.sign(new MACSigner(Tokens.RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
    assertThat(verify(jwt2.serialize())).isEqualTo(new Rejected("token algorithm is not accepted"));
  }

  @Test
  void algorithmOutsideTheProvidersListIsRejected() {
    verifier = verifierFor(provider(jwksFile.toString(), List.of(), List.of("ES256"), null));
    assertThat(verify(Tokens.sign(Tokens.RSA, Tokens.claims(NOW).build())))
        .isEqualTo(new Rejected("token algorithm is not accepted"));
    assertThat(verify(Tokens.sign(Tokens.EC, Tokens.claims(NOW).build()))).isInstanceOf(Authenticated.class);
  }

  @Test
  void symmetricOrUnsignedAlgorithmsCannotBeConfigured() {
    for (String alg : List.of("HS256", "none", "EdDSA")) {
      assertThatThrownBy(() -> verifierFor(provider(jwksFile.toString(), List.of(), List.of("RS256", alg), null)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("JWT provider corp: algorithm " + alg + " is not supported");
    }
  }

  @Test
  void wrongIssuerIsRejected() {
    assertThat(verify(Tokens.sign(Tokens.RSA, Tokens.claims(NOW).issuer("https://evil.example").build())))
        .isEqualTo(new Rejected("token issuer is not accepted"));
    assertThat(verify(Tokens.sign(Tokens.RSA, Tokens.claims(NOW).issuer(null).build())))
        .isEqualTo(new Rejected("token issuer is not accepted"));
  }

  @Test
  void audienceMustBeOneOfTheConfiguredWhenAnyAre() {
    assertThat(verify(Tokens.sign(Tokens.RSA, Tokens.claims(NOW).audience("someone-else").build())))
        .isEqualTo(new Rejected("token audience is not accepted"));
    assertThat(verify(Tokens.sign(Tokens.RSA, Tokens.claims(NOW).audience((String) null).build())))
        .isEqualTo(new Rejected("token audience is not accepted"));
    assertThat(verify(Tokens.sign(Tokens.RSA, Tokens.claims(NOW).audience(List.of("x", "other")).build())))
        .isInstanceOf(Authenticated.class);
    verifier = verifierFor(provider(jwksFile.toString(), List.of(), null, null));
    assertThat(verify(Tokens.sign(Tokens.RSA, Tokens.claims(NOW).audience("anyone").build())))
        .isInstanceOf(Authenticated.class);
  }

  @Test
  void expiryAllowsTheClockSkewAndNoMore() {
    Instant exp = NOW.plusSeconds(60);
    String token = Tokens.sign(Tokens.RSA, Tokens.claims(NOW).expirationTime(Date.from(exp)).build());
    String twin = Tokens.sign(Tokens.RSA, Tokens.claims(NOW).expirationTime(Date.from(exp)).jwtID("twin").build());
    clock.advance(Duration.ofSeconds(60).plus(SKEW).minusSeconds(1));
    assertThat(verify(token)).isInstanceOf(Authenticated.class);
    clock.advance(Duration.ofSeconds(1));
    assertThat(verify(twin)).isEqualTo(new Rejected("token expired"));
    assertThat(verify(token)).isEqualTo(new Rejected("token expired")); // the cache ends at exp too
  }

  @Test
  void tokenWithoutExpIsRejected() {
    assertThat(verify(Tokens.sign(Tokens.RSA, Tokens.claims(NOW).expirationTime(null).build())))
        .isEqualTo(new Rejected("token has no exp claim"));
  }

  @Test
  void notBeforeAndIssuedAtAllowTheSkew() {
    JWTClaimsSet early = Tokens.claims(NOW).notBeforeTime(Date.from(NOW.plus(SKEW).plusSeconds(1))).build();
    assertThat(verify(Tokens.sign(Tokens.RSA, early))).isEqualTo(new Rejected("token is not valid yet"));
    JWTClaimsSet justInSkew = Tokens.claims(NOW).notBeforeTime(Date.from(NOW.plus(SKEW))).build();
    assertThat(verify(Tokens.sign(Tokens.RSA, justInSkew))).isInstanceOf(Authenticated.class);
    JWTClaimsSet future = Tokens.claims(NOW).issueTime(Date.from(NOW.plus(SKEW).plusSeconds(1))).build();
    assertThat(verify(Tokens.sign(Tokens.RSA, future))).isEqualTo(new Rejected("token is issued in the future"));
  }

  @Test
  void malformedTokensAreRejected() {
    assertThat(verify("a.b.c")).isEqualTo(new Rejected("malformed token"));
    assertThat(verify("not a token")).isEqualTo(new Rejected("malformed token"));
  }

  @Test
  void repeatedTokenIsServedFromTheCacheUntilItsExp() throws Exception {
    String token = Tokens.sign(Tokens.RSA, Tokens.claims(NOW).expirationTime(Date.from(NOW.plusSeconds(100))).build());
    assertThat(verify(token)).isInstanceOf(Authenticated.class);
    // The key disappears from the JWKS: the cached token still passes, a fresh one does not.
    Files.writeString(jwksFile, Tokens.jwks(Tokens.EC.toPublicJWK()));
    Files.setLastModifiedTime(jwksFile, java.nio.file.attribute.FileTime.from(NOW.plusSeconds(5)));
    clock.advance(Duration.ofSeconds(2));
    assertThat(verify(token)).isInstanceOf(Authenticated.class);
    assertThat(verify(Tokens.sign(Tokens.RSA, Tokens.claims(NOW).jwtID("fresh").build())))
        .isEqualTo(new Rejected("no signing key of the issuer matches the token"));
    clock.advance(Duration.ofSeconds(100));
    assertThat(verify(token)).isInstanceOf(Rejected.class);
  }

  @Test
  void cacheStaysWithinItsCapacity() {
    var small = new JwtVerifier(provider(jwksFile.toString(), List.of(), null, null),
        new FileJwksSource(jwksFile, clock), clock, 10);
    for (int i = 0; i < 50; i++) {
      assertThat(verify(small, Tokens.sign(Tokens.EC, Tokens.claims(NOW).jwtID("t" + i).build())))
          .isInstanceOf(Authenticated.class);
    }
    assertThat(small.cachedTokens()).isBetween(1, 10);
  }
}
