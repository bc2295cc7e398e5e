package dev.aigis.core.identity;

import com.nimbusds.jwt.SignedJWT;
import dev.aigis.core.identity.AuthResult.Authenticated;
import dev.aigis.core.identity.AuthResult.Missing;
import dev.aigis.core.identity.AuthResult.Rejected;
import dev.aigis.model.policy.ApiKey;
import dev.aigis.model.policy.Authentication;
import dev.aigis.model.policy.JwtProvider;
import java.text.ParseException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Checks the credential of a request against one policy's {@link Authentication}: an Aigis API key
 * (recognised by its {@code sk-aigis-} prefix) or a JWT (a value with two dots) of a provider whose
 * issuer matches the token's unverified {@code iss}. Strict: any credential present that the policy
 * cannot verify is {@link Rejected}; only a request without one is {@link Missing}.
 *
 * <p>Immutable and safe for any number of threads; build one per configuration. The answer is a
 * completed stage unless a JWKS must be fetched first; then it completes on the HTTP client's
 * threads, and a caller on an event loop hops back to it.
 */
public final class Authenticator {

  private static final CompletionStage<AuthResult> MISSING = CompletableFuture.completedFuture(new Missing());

  private final Authentication config;
  private final ApiKeyRegistry keys;
  private final List<JwtVerifier> verifiers;
  private final Map<String, List<JwtVerifier>> byIssuer;

  public Authenticator(Authentication config, ApiKeyRegistry keys, List<JwtVerifier> verifiers) {
    this.config = config;
    this.keys = keys;
    this.verifiers = List.copyOf(verifiers);
    Map<String, List<JwtVerifier>> issuers = new LinkedHashMap<>();
    for (JwtVerifier verifier : this.verifiers) {
      issuers.computeIfAbsent(verifier.provider().issuer(), k -> new ArrayList<>()).add(verifier);
    }
    issuers.replaceAll((issuer, list) -> List.copyOf(list));
    this.byIssuer = Map.copyOf(issuers);
  }

  /**
   * Builds the registry and one verifier per provider, with key sources from {@code sources} so
   * caches survive reloads.
   *
   * @throws IllegalArgumentException when a provider names an unsupported algorithm or no JWKS
   */
  public static Authenticator of(Authentication config, List<ApiKey> keys, JwksSources sources, InstantSource clock) {
    List<JwtVerifier> verifiers = new ArrayList<>();
    for (JwtProvider provider : config.jwtProviders()) {
      verifiers.add(new JwtVerifier(provider, sources.forProvider(provider), clock));
    }
    return new Authenticator(config, new ApiKeyRegistry(keys, clock), verifiers);
  }

  /** @param headers all values of a header by its lowercase name; null or empty when absent */
  public CompletionStage<AuthResult> authenticate(Function<String, List<String>> headers) {
    return switch (PresentedCredential.in(headers)) {
      case PresentedCredential.Absent a -> MISSING;
      case PresentedCredential.Unusable u -> done(new Rejected(u.reason()));
      case PresentedCredential.Found found -> check(found.value())
          .thenApply(result -> result instanceof Authenticated ok ? ok.consumedFrom(found.header()) : result);
    };
  }

  private CompletionStage<AuthResult> check(String credential) {
    if (credential.startsWith(ApiKeys.PREFIX)) {
      return done(config.apiKeys() ? keys.authenticate(credential) : new Rejected("API keys are not accepted here"));
    }
    if (credential.chars().filter(c -> c == '.').count() == 2) {
      return verifiers.isEmpty() ? done(new Rejected("JWTs are not accepted here")) : jwt(credential);
    }
    return done(new Rejected("unrecognised credential"));
  }

  private CompletionStage<AuthResult> jwt(String token) {
    String key = VerifiedTokens.key(token);
    for (JwtVerifier verifier : verifiers) {
      Identity known = verifier.cached(key);
      if (known != null) {
        return done(new Authenticated(known, null));
      }
    }
    SignedJWT jwt;
    String issuer;
    try {
      jwt = SignedJWT.parse(token);
      issuer = jwt.getJWTClaimsSet().getIssuer();
    } catch (ParseException e) {
      return done(JwtVerifier.MALFORMED);
    }
    List<JwtVerifier> candidates = issuer == null ? null : byIssuer.get(issuer);
    if (candidates == null) {
      return done(new Rejected("token issuer is not accepted here"));
    }
    return firstAccepting(candidates, 0, key, jwt, null);
  }

  /** Tries providers sharing an issuer (say, with different audiences) in order; answers the first rejection if none accepts. */
  private static CompletionStage<AuthResult> firstAccepting(List<JwtVerifier> candidates, int index, String key,
      SignedJWT jwt, Rejected firstRejection) {
    return candidates.get(index).verify(key, jwt).thenCompose(result -> {
      if (result instanceof Rejected rejected && index + 1 < candidates.size()) {
        return firstAccepting(candidates, index + 1, key, jwt, firstRejection != null ? firstRejection : rejected);
      }
      return done(result instanceof Rejected && firstRejection != null ? firstRejection : result);
    });
  }

  private static CompletionStage<AuthResult> done(AuthResult result) {
    return CompletableFuture.completedFuture(result);
  }
}
