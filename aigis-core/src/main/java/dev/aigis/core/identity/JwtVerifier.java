package dev.aigis.core.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.aigis.core.identity.AuthResult.Authenticated;
import dev.aigis.core.identity.AuthResult.Rejected;
import dev.aigis.model.policy.JwtProvider;
import java.text.ParseException;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Verifies bearer JWTs for one {@link JwtProvider}: signature by a key of the provider's JWKS, an
 * {@code alg} among the provider's algorithms, then the registered claims ({@link ClaimRules}), then
 * the claim mapping ({@link ClaimMapper}).
 *
 * <p>Only asymmetric algorithms (RS*, PS*, ES*) are ever accepted, whatever the configuration says:
 * with HMAC a public JWKS key would become a shared secret anyone can sign with, and {@code none}
 * signs nothing. Only RSA and EC public keys are used.
 *
 * <p>Safe for any number of threads. {@link #verify} answers a completed stage unless the key
 * source must fetch first; stages that waited for a fetch complete on the HTTP client's threads.
 * Verified tokens are remembered until their {@code exp} ({@link VerifiedTokens}).
 */
public final class JwtVerifier {

  static final Rejected MALFORMED = new Rejected("malformed token");
  static final Rejected KEYS_UNAVAILABLE = new Rejected("cannot verify token: the issuer's signing keys are unavailable");

  private final JwtProvider provider;
  private final JwksSource keys;
  private final InstantSource clock;
  private final Set<JWSAlgorithm> algorithms;
  private final ClaimRules rules;
  private final ClaimMapper mapper;
  private final VerifiedTokens verified;

  /** @throws IllegalArgumentException when the provider names an algorithm other than RS*, PS*, ES* */
  public JwtVerifier(JwtProvider provider, JwksSource keys, InstantSource clock) {
    this(provider, keys, clock, VerifiedTokens.DEFAULT_CAPACITY);
  }

  JwtVerifier(JwtProvider provider, JwksSource keys, InstantSource clock, int cacheCapacity) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.algorithms = asymmetric(provider);
    this.rules = new ClaimRules(provider.issuer(), new HashSet<>(provider.audiences()), provider.clockSkew());
    this.mapper = new ClaimMapper(provider.claims(), provider.name());
    this.verified = new VerifiedTokens(clock, cacheCapacity);
  }

  public JwtProvider provider() {
    return provider;
  }

  /** Verifies a compact JWS; the result's {@code consumedHeader} is null. */
  public CompletionStage<AuthResult> verify(String token) {
    String key = VerifiedTokens.key(token);
    Identity known = cached(key);
    if (known != null) {
      return CompletableFuture.completedFuture(new Authenticated(known, null));
    }
    try {
      return verify(key, SignedJWT.parse(token));
    } catch (ParseException e) {
      return CompletableFuture.completedFuture(MALFORMED);
    }
  }

  /** The identity of a token this verifier accepted before and that has not expired, or null. */
  Identity cached(String tokenKey) {
    return verified.get(tokenKey);
  }

  int cachedTokens() {
    return verified.size();
  }

  /** {@link #verify(String)} for a token already hashed (for the cache) and parsed. */
  CompletionStage<AuthResult> verify(String tokenKey, SignedJWT jwt) {
    JWSHeader header = jwt.getHeader();
    if (!algorithms.contains(header.getAlgorithm())) {
      return CompletableFuture.completedFuture(new Rejected("token algorithm is not accepted"));
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return CompletableFuture.completedFuture(MALFORMED);
    }
    JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
    return keys.keys()
        .thenCompose(set -> {
          List<JWK> candidates = new JWKSelector(matcher).select(set);
          if (candidates.isEmpty() && header.getKeyID() != null) {
            return keys.keysWithKid(header.getKeyID()).thenApply(newer -> new JWKSelector(matcher).select(newer));
          }
          return CompletableFuture.completedFuture(candidates);
        })
        .handle((candidates, failure) ->
            failure != null ? KEYS_UNAVAILABLE : check(tokenKey, jwt, claims, candidates));
  }

  private AuthResult check(String tokenKey, SignedJWT jwt, JWTClaimsSet claims, List<JWK> candidates) {
    if (candidates.isEmpty()) {
      return new Rejected("no signing key of the issuer matches the token");
    }
    if (!signedByOneOf(jwt, candidates)) {
      return new Rejected("invalid token signature");
    }
    String violation = rules.violation(claims, clock.instant());
    if (violation != null) {
      return new Rejected(violation);
    }
    Identity identity = mapper.identity(claims);
    if (identity == null) {
      return new Rejected("token has no " + provider.claims().subject() + " claim");
    }
    verified.put(tokenKey, identity, claims.getExpirationTime().toInstant());
    return new Authenticated(identity, null);
  }

  private static boolean signedByOneOf(SignedJWT jwt, List<JWK> candidates) {
    for (JWK jwk : candidates) {
      try {
        JWSVerifier verifier = switch (jwk) {
          case RSAKey rsa -> new RSASSAVerifier(rsa.toRSAPublicKey());
          case ECKey ec -> new ECDSAVerifier(ec.toECPublicKey());
          default -> null;
        };
        if (verifier != null && jwt.verify(verifier)) {
          return true;
        }
      } catch (JOSEException | IllegalStateException e) {
        // a key unusable for this token (wrong curve, malformed): try the next candidate
      }
    }
    return false;
  }

  private static Set<JWSAlgorithm> asymmetric(JwtProvider provider) {
    Set<JWSAlgorithm> accepted = new HashSet<>();
    for (String name : provider.algorithms()) {
      JWSAlgorithm algorithm = JWSAlgorithm.parse(name);
      if (!JWSAlgorithm.Family.RSA.contains(algorithm) && !JWSAlgorithm.Family.EC.contains(algorithm)) {
        throw new IllegalArgumentException("JWT provider " + provider.name() + ": algorithm " + name
            + " is not supported; use RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 or ES512");
      }
      accepted.add(algorithm);
    }
    return Set.copyOf(accepted);
  }
}
