package dev.aigis.server.gcp;

import io.vertx.core.Promise;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.aigis.core.json.Json;
import dev.aigis.model.backend.ServiceAccountKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;

/**
 * Google's service-account flow (RFC 7523 JWT bearer grant): signs a one-hour RS256 assertion
 * ({@code iss}/{@code sub} the client email, {@code aud} the token URL, scope cloud-platform),
 * trades it at the token URL for an access token with the Vert.x HTTP client, and caches that
 * token until {@link #REFRESH_MARGIN} before it expires.
 *
 * <p>Concurrency: requests arriving while a refresh is under way share it (one token request at a
 * time per source). A failed refresh is not cached: the next request tries again. Signing is a
 * few hundred microseconds of CPU, done inline once an hour; nothing blocks.
 */
public final class ServiceAccountTokenSource implements TokenSource {

  public static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
  public static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);
  static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);
  static final int TIMEOUT_MILLIS = 10_000;

  private record Token(String value, Instant refreshAt) {}

  private final java.net.http.HttpClient client;
  private final ServiceAccountKey key;
  private final String tokenUrl;
  private final InstantSource clock;
  private final PrivateKey privateKey;
  private final Object lock = new Object();
  private Token cached;
  private Future<Token> inFlight;

  /**
   * @param client the JDK HTTP client that sends the token requests (shared; system trust for https)
   * @param tokenUrl an absolute http(s) URL
   * @throws IllegalArgumentException when the private key is not an RSA PKCS#8 PEM key
   */
  public ServiceAccountTokenSource(java.net.http.HttpClient client, ServiceAccountKey key, String tokenUrl, InstantSource clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.key = Objects.requireNonNull(key, "key");
    this.tokenUrl = Objects.requireNonNull(tokenUrl, "tokenUrl");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.privateKey = parsePrivateKey(key.privateKeyPem());
  }

  @Override
  public Future<String> token() {
    Promise<Token> refresh;
    synchronized (lock) {
      if (cached != null && clock.instant().isBefore(cached.refreshAt())) {
        return Future.succeededFuture(cached.value());
      }
      if (inFlight != null) {
        return inFlight.map(Token::value);
      }
      refresh = Promise.promise();
      inFlight = refresh.future();
    }
    fetch().onComplete(ar -> {
      synchronized (lock) {
        inFlight = null;
        if (ar.succeeded()) {
          cached = ar.result();
        }
      }
      refresh.handle(ar);
    });
    return refresh.future().map(Token::value);
  }

  private Future<Token> fetch() {
    Instant now = clock.instant();
    String assertion;
    try {
      assertion = assertion(now);
    } catch (JOSEException e) {
      return Future.failedFuture(new TokenException("cannot sign the service account assertion"));
    }
    String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
        + "&assertion=" + assertion;
    HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
        .timeout(Duration.ofMillis(TIMEOUT_MILLIS))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
    Promise<Token> result = Promise.promise();
    // The JDK client runs the exchange on its own threads; callers hop back to their event loop.
    client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .orTimeout(2L * TIMEOUT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)
        .whenComplete((response, failure) -> {
          if (failure != null) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
            result.fail(new TokenException("the token endpoint is unreachable: " + cause.getClass().getSimpleName()));
            return;
          }
          try {
            result.complete(parse(response.statusCode(), response.body(), now));
          } catch (TokenException e) {
            result.fail(e);
          }
        });
    return result.future();
  }

  String assertion(Instant now) throws JOSEException {
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(key.clientEmail()).subject(key.clientEmail()).audience(tokenUrl).claim("scope", SCOPE)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ASSERTION_LIFETIME))).build();
    JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT);
    if (key.privateKeyId() != null) {
      header.keyID(key.privateKeyId());
    }
    SignedJWT jwt = new SignedJWT(header.build(), claims);
    jwt.sign(new RSASSASigner(privateKey));
    return jwt.serialize();
  }

  private static Token parse(int status, byte[] body, Instant requested) {
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      json = null;
    }
    if (status != 200) {
      String error = json == null ? "" : " " + json.path("error").asText("");
      throw new TokenException("the token endpoint answered " + status + error);
    }
    if (json == null || !json.path("access_token").isTextual()) {
      throw new TokenException("the token endpoint's answer has no access_token");
    }
    long expiresIn = json.path("expires_in").asLong(3600);
    Instant refreshAt = requested.plusSeconds(expiresIn).minus(REFRESH_MARGIN);
    return new Token(json.path("access_token").asText(), refreshAt);
  }

  static PrivateKey parsePrivateKey(String pem) {
    String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
        .replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("the service account's private_key is not an RSA PKCS#8 key");
    }
  }
}
