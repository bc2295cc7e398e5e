package dev.aigis.model.backend;

import java.util.Objects;

/**
 * AWS credentials read from an AIBackend's Secret (keys {@code accessKeyId}, {@code secretAccessKey},
 * optional {@code sessionToken}). {@code sessionToken} is null for long-term keys. {@link #toString()}
 * prints none of them.
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {

  public static final String ACCESS_KEY_ID = "accessKeyId";
  public static final String SECRET_ACCESS_KEY = "secretAccessKey";
  public static final String SESSION_TOKEN = "sessionToken";

  public AwsCredentials {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
  }

  @Override
  public String toString() {
    return "AwsCredentials[redacted, sessionToken=" + (sessionToken == null ? "none" : "redacted") + "]";
  }
}
