package dev.aigis.model.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The parts of a Google service-account key JSON that sign token requests. {@link #toString()}
 * never prints the private key.
 *
 * @param clientEmail the service account, JWT {@code iss} and {@code sub}
 * @param privateKeyPem the PKCS#8 PEM private key (RS256)
 * @param privateKeyId the key id ({@code kid}), or null
 * @param tokenUri the key's token endpoint, or null
 */
public record ServiceAccountKey(String clientEmail, String privateKeyPem, String privateKeyId, String tokenUri) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Parses a key file. The message of the exception names the missing field, never a value.
   *
   * @throws IllegalArgumentException when it is not JSON or lacks client_email or private_key
   */
  public static ServiceAccountKey parse(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("is not a service account key: not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("is not a service account key: not a JSON object");
    }
    String email = text(node, "client_email");
    String key = text(node, "private_key");
    if (email == null || key == null) {
      throw new IllegalArgumentException("is not a service account key: client_email and private_key are required");
    }
    if (!key.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new IllegalArgumentException("is not a service account key: private_key is not a PKCS#8 PEM key");
    }
    return new ServiceAccountKey(email, key, text(node, "private_key_id"), text(node, "token_uri"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
  }

  @Override
  public String toString() {
    return "ServiceAccountKey[" + clientEmail + ", privateKey=redacted]";
  }
}
