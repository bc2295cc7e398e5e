package dev.aigis.model.load;

import dev.aigis.model.Durations;
import dev.aigis.model.policy.JwtProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads one {@code authentication.jwt.providers[]} entry of an AccessPolicy. The rules here are the
 * ones that keep a token check sound: keys come from exactly one JWKS source, fetched over TLS unless
 * it is on this machine, and only asymmetric signature algorithms are accepted.
 */
final class JwtProviderReader {

  static final List<String> FIELDS = List.of("name", "issuer", "audiences", "jwks", "algorithms", "clockSkew", "claims");

  /** RFC 7518 asymmetric JWS algorithms, in the order messages list them. */
  static final List<String> ALGORITHMS = List.of(
      "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

  /** A JWKS refreshed more often than this only loads the identity provider. */
  private static final Duration MIN_REFRESH = Duration.ofSeconds(1);

  private JwtProviderReader() {}

  static JwtProvider read(Fields provider, Set<String> names) {
    String name = PolicyFields.uniqueName(provider, "provider", names);
    String issuer = provider.requiredString("issuer");
    List<String> audiences = provider.strings("audiences");
    Fields jwks = provider.requiredObject("jwks", "file", "url", "refresh");
    String file = null;
    URI url = null;
    Duration refresh = null;
    if (jwks != null) {
      if (jwks.has("file") == jwks.has("url")) {
        jwks.issues().add(jwks.path(), "set exactly one of file or url");
      }
      file = jwks.string("file");
      if (file != null && file.isBlank()) {
        jwks.error("file", "must not be blank");
      }
      url = url(jwks);
      refresh = refresh(jwks);
    }
    List<String> algorithms = algorithms(provider);
    Duration clockSkew = provider.duration("clockSkew");
    Fields claims = provider.object("claims", "subject", "team", "groups");
    JwtProvider.ClaimMapping mapping = claims == null ? null : new JwtProvider.ClaimMapping(
        claimName(claims, "subject"), claimName(claims, "team"), claimName(claims, "groups"));
    return new JwtProvider(name, issuer, audiences, file, url, refresh, algorithms, clockSkew, mapping);
  }

  /** https, or http to a loopback host (a local JWKS server or sidecar). The URL is never echoed. */
  private static URI url(Fields jwks) {
    String text = jwks.string("url");
    if (text == null) {
      return null;
    }
    URI uri = jwks.uri("url", text);
    if (uri == null) {
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      jwks.error("url", "must be an https URL with a host");
      return null;
    }
    if (uri.getRawUserInfo() != null) {
      jwks.error("url", "URL must not have user info");
      return null;
    }
    if (scheme.equals("http") && !loopback(uri.getHost())) {
      jwks.error("url", "must be https: keys fetched over plain http could be replaced on the way"
          + " (http is allowed only to 127.0.0.1, ::1 or localhost)");
      return null;
    }
    return uri;
  }

  static boolean loopback(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return bare.equals("127.0.0.1") || bare.equals("::1") || bare.equalsIgnoreCase("localhost");
  }

  private static Duration refresh(Fields jwks) {
    Duration refresh = jwks.duration("refresh");
    if (refresh == null) {
      return null;
    }
    if (jwks.has("file")) {
      jwks.error("refresh", "only used with url: a file is re-read when it changes");
    } else if (refresh.compareTo(MIN_REFRESH) < 0) {
      jwks.error("refresh", "must be at least 1s (got " + Durations.format(refresh) + ")");
    }
    return refresh;
  }

  private static List<String> algorithms(Fields provider) {
    List<String> algorithms = provider.strings("algorithms");
    if (algorithms == null) {
      return null;
    }
    for (int i = 0; i < algorithms.size(); i++) {
      String algorithm = algorithms.get(i);
      String problem = algorithmProblem(algorithm);
      if (problem != null) {
        provider.issues().add(FieldPaths.index(provider.path("algorithms"), i), problem);
      }
    }
    return algorithms;
  }

  private static String algorithmProblem(String algorithm) {
    if (ALGORITHMS.contains(algorithm)) {
      return null;
    }
    if (algorithm.equals("EdDSA")) {
      return "\"EdDSA\" is not supported yet (its verifier needs a library Aigis does not ship); use ES256 or RS256";
    }
    if (algorithm.equalsIgnoreCase("none")) {
      return "\"none\" is refused: it accepts unsigned tokens, so anyone could mint one";
    }
    if (algorithm.toUpperCase(Locale.ROOT).startsWith("HS")) {
      return "\"" + algorithm + "\" is refused: HMAC needs a shared secret, and checking it against published keys"
          + " lets a token signed with a public key pass (algorithm confusion); use an asymmetric algorithm";
    }
    return "must be one of " + String.join(", ", ALGORITHMS) + " (got \"" + algorithm + "\")";
  }

  private static String claimName(Fields claims, String field) {
    String name = claims.string(field);
    if (name != null && name.isBlank()) {
      claims.error(field, "must not be blank");
      return null;
    }
    return name;
  }
}
