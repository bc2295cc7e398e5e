package dev.aigis.core.provider.bedrock;

import dev.aigis.model.backend.AwsCredentials;
import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * AWS Signature Version 4 for one request, by the AWS SDK's {@code AwsV4HttpSigner}: service
 * {@code bedrock}, the backend's region, the exact body (its SHA-256 is signed) and the headers given
 * plus {@code host}, {@code x-amz-date} and, with a session token, {@code x-amz-security-token}.
 * The path is signed double-encoded, as every AWS service but S3 expects. Thread-safe.
 */
final class SigV4 {

  static final String SERVICE = "bedrock";
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  private final AwsCredentialsIdentity identity;
  private final String region;
  private final Clock clock;

  SigV4(AwsCredentials credentials, String region, InstantSource clock) {
    this.identity = credentials.sessionToken() == null
        ? AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey())
        : AwsSessionCredentialsIdentity.create(
            credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken());
    this.region = region;
    this.clock = new InstantClock(clock);
  }

  /**
   * The headers to send: those given, plus the signature's. {@code authority} is the Host header
   * as the HTTP client sends it ({@code host} or {@code host:port} when the port is not the
   * scheme's default), which the signature covers.
   */
  Map<String, String> sign(String method, String authority, String pathAndQuery, Map<String, String> headers,
      byte[] body) {
    int q = pathAndQuery.indexOf('?');
    SdkHttpRequest.Builder request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.fromValue(method))
        .protocol("https")
        .host(hostOf(authority))
        .encodedPath(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q))
        .putHeader("Host", authority);
    if (q >= 0) {
      for (String pair : pathAndQuery.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        request.appendRawQueryParameter(
            decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? null : decode(pair.substring(eq + 1)));
      }
    }
    headers.forEach(request::putHeader);
    SignedRequest signed = SIGNER.sign(r -> r.identity(identity)
        .request(request.build())
        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Host")) { // the HTTP client sends the same value itself
        out.put(header.getKey().toLowerCase(java.util.Locale.ROOT), String.join(",", header.getValue()));
      }
    }
    return out;
  }

  private static String hostOf(String authority) {
    if (authority.startsWith("[")) {
      return authority.substring(0, authority.indexOf(']') + 1);
    }
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The injected time as the {@link Clock} the signer takes. */
  private static final class InstantClock extends Clock {
    private final InstantSource source;

    InstantClock(InstantSource source) {
      this.source = source;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return source.instant();
    }
  }
}
