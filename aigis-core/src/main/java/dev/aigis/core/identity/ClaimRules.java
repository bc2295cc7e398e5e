package dev.aigis.core.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The registered-claim checks of one provider: {@code iss} equal, {@code aud} any-of when
 * configured, {@code exp} required and in the future, {@code nbf} and {@code iat} not in the future,
 * each time with the clock skew allowed. Written here rather than with nimbus'
 * {@code DefaultJWTClaimsVerifier} because its messages echo claim values to the client and it does
 * not check {@code iat}.
 */
record ClaimRules(String issuer, Set<String> audiences, Duration skew) {

  ClaimRules {
    audiences = Set.copyOf(audiences);
  }

  /** Null when the claims pass; else a reason a client may see. */
  String violation(JWTClaimsSet claims, Instant now) {
    if (!issuer.equals(claims.getIssuer())) {
      return "token issuer is not accepted";
    }
    if (!audiences.isEmpty()) {
      List<String> audience = claims.getAudience();
      if (audience == null || audience.stream().noneMatch(audiences::contains)) {
        return "token audience is not accepted";
      }
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      return "token has no exp claim";
    }
    if (!now.isBefore(exp.toInstant().plus(skew))) {
      return "token expired";
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
      return "token is not valid yet";
    }
    Date iat = claims.getIssueTime();
    if (iat != null && iat.toInstant().isAfter(now.plus(skew))) {
      return "token is issued in the future";
    }
    return null;
  }
}
