package dev.aigis.model.policy;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A JWT issuer the gateway trusts.
 *
 * @param name unique within its policy; names the provider in logs and the identity
 * @param issuer the required {@code iss}
 * @param audiences accepted {@code aud} values; empty: any audience
 * @param jwksFile a JWKS document on disk (re-read when it changes); exactly one of this and {@code jwksUrl}
 * @param jwksUrl an https URL serving the JWKS (http only to a loopback address)
 * @param jwksRefresh how long a fetched JWKS is used before it is fetched again
 * @param algorithms accepted JWS algorithms, e.g. RS256, ES256; never {@code none} or HMAC
 * @param clockSkew tolerance on {@code exp}, {@code nbf} and {@code iat}
 * @param claims which claims become the identity's subject, team and groups
 */
public record JwtProvider(
    String name,
    String issuer,
    List<String> audiences,
    String jwksFile,
    URI jwksUrl,
    Duration jwksRefresh,
    List<String> algorithms,
    Duration clockSkew,
    ClaimMapping claims) {

  public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);
  public static final Duration DEFAULT_SKEW = Duration.ofSeconds(30);
  public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "ES256");

  public JwtProvider {
    audiences = audiences == null ? List.of() : List.copyOf(audiences);
    algorithms = algorithms == null || algorithms.isEmpty() ? DEFAULT_ALGORITHMS : List.copyOf(algorithms);
    jwksRefresh = jwksRefresh == null ? DEFAULT_REFRESH : jwksRefresh;
    clockSkew = clockSkew == null ? DEFAULT_SKEW : clockSkew;
    claims = claims == null ? ClaimMapping.DEFAULT : claims;
  }

  /** Claim names: {@code sub} for the subject, and the claims holding the team and the groups. */
  public record ClaimMapping(String subject, String team, String groups) {
    public static final ClaimMapping DEFAULT = new ClaimMapping("sub", "team", "groups");

    public ClaimMapping {
      subject = subject == null || subject.isBlank() ? "sub" : subject;
      team = team == null || team.isBlank() ? "team" : team;
      groups = groups == null || groups.isBlank() ? "groups" : groups;
    }
  }
}
