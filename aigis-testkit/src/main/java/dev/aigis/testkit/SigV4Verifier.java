package dev.aigis.testkit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 {@code Authorization} header, written from the published
 * algorithm and independent of the AWS SDK the gateway signs with, so a shared misreading cannot
 * pass: the canonical request (path URI-encoded once more, as for every service but S3; sorted
 * query; signed headers lowercased, trimmed, inner spaces collapsed; hex SHA-256 of the body), the
 * string to sign and the derived signing key. Returns null when the signature holds, else the
 * reason, which {@link FakeBedrockUpstream} turns into AWS's 403 answers. Stateless.
 */
final class SigV4Verifier {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";

  /** Why a request is refused: AWS's exception type and message. */
  record Failure(String type, String message) {}

  private final String accessKeyId;
  private final String secretAccessKey;
  private final String sessionToken;
  private final String region;
  private final String service;

  SigV4Verifier(String accessKeyId, String secretAccessKey, String sessionToken, String region, String service) {
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.sessionToken = sessionToken;
    this.region = region;
    this.service = service;
  }

  /**
   * @param rawPath the path as sent, percent-encoding kept
   * @param headers header values by lowercase name
   */
  Failure verify(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
    String authorization = first(headers, "authorization");
    if (authorization == null) {
      return new Failure("MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    if (!authorization.startsWith(ALGORITHM + " ")) {
      return new Failure("IncompleteSignatureException", "Unsupported signing algorithm");
    }
    Map<String, String> parts = new TreeMap<>();
    for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    String credential = parts.get("Credential");
    String signedHeaders = parts.get("SignedHeaders");
    String signature = parts.get("Signature");
    if (credential == null || signedHeaders == null || signature == null) {
      return new Failure("IncompleteSignatureException",
          "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
    }
    String[] scope = credential.split("/");
    if (scope.length != 5 || !scope[4].equals("aws4_request")) {
      return new Failure("IncompleteSignatureException", "Credential is malformed.");
    }
    if (!scope[0].equals(accessKeyId)) {
      return new Failure("UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    String amzDate = first(headers, "x-amz-date");
    if (amzDate == null || amzDate.length() != 16 || !amzDate.startsWith(scope[1])) {
      return new Failure("IncompleteSignatureException", "x-amz-date is missing or does not match the credential scope date.");
    }
    if (!scope[2].equals(region) || !scope[3].equals(service)) {
      return new Failure("InvalidSignatureException", "Credential should be scoped to a valid region and service "
          + region + "/" + service + ", not " + scope[2] + "/" + scope[3] + ".");
    }
    List<String> signed = List.of(signedHeaders.split(";"));
    if (!signed.contains("host") || !signed.contains("x-amz-date")) {
      return new Failure("IncompleteSignatureException", "SignedHeaders must include host and x-amz-date.");
    }
    String token = first(headers, "x-amz-security-token");
    if (sessionToken != null && (token == null || !token.equals(sessionToken) || !signed.contains("x-amz-security-token"))) {
      return new Failure("UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    String payloadHash = hex(sha256(body));
    String declared = first(headers, "x-amz-content-sha256");
    if (declared != null && !declared.equals(payloadHash)) {
      return new Failure("InvalidSignatureException", "The provided x-amz-content-sha256 header does not match the body.");
    }
    StringBuilder canonical = new StringBuilder();
    canonical.append(method).append('\n')
        .append(encode(rawPath.isEmpty() ? "/" : rawPath, false)).append('\n')
        .append(canonicalQuery(rawQuery)).append('\n');
    for (String name : signed) {
      List<String> values = headers.get(name);
      if (values == null) {
        return new Failure("InvalidSignatureException", "Signed header " + name + " is missing.");
      }
      List<String> trimmed = new ArrayList<>();
      values.forEach(v -> trimmed.add(v.trim().replaceAll(" +", " ")));
      canonical.append(name).append(':').append(String.join(",", trimmed)).append('\n');
    }
    canonical.append('\n').append(signedHeaders).append('\n').append(payloadHash);
    String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + String.join("/", scope[1], scope[2], scope[3], scope[4])
        + "\n" + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), scope[1]);
    key = hmac(key, scope[2]);
    key = hmac(key, scope[3]);
    key = hmac(key, "aws4_request");
    String expected = hex(hmac(key, stringToSign));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
      return new Failure("InvalidSignatureException", "The request signature we calculated does not match the"
          + " signature you provided. Check your AWS Secret Access Key and signing method. Consult the service"
          + " documentation for details.");
    }
    return null;
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    TreeMap<String, List<String>> sorted = new TreeMap<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      sorted.computeIfAbsent(encode(name, true), k -> new ArrayList<>()).add(encode(value, true));
    }
    List<String> out = new ArrayList<>();
    sorted.forEach((name, values) -> values.stream().sorted().forEach(v -> out.add(name + "=" + v)));
    return String.join("&", out);
  }

  /** RFC 3986 encoding of all but unreserved characters ('/' too when {@code slash}). */
  static String encode(String value, boolean slash) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~' || (c == '/' && !slash)) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return out.toString();
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
