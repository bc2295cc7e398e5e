package dev.aigis.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/**
 * A throwaway Google service account for tests: a fresh RSA 2048 key pair and the key JSON
 * ({@code type}, {@code client_email}, {@code private_key} as PKCS#8 PEM, {@code private_key_id},
 * {@code token_uri}) a GCPVertexAI backend is given.
 */
public record TestServiceAccount(String clientEmail, KeyPair keyPair, String keyId) {

  public static TestServiceAccount generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new TestServiceAccount("aigis-test@aigis-test-project.iam.gserviceaccount.com",
          generator.generateKeyPair(), "test-key-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public RSAPublicKey publicKey() {
    return (RSAPublicKey) keyPair.getPublic();
  }

  public String privateKeyPem() {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keyPair.getPrivate().getEncoded());
    return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
  }

  /** The key file's JSON, its {@code token_uri} set to {@code tokenUri}. */
  public String keyJson(String tokenUri) {
    var json = new ObjectMapper().createObjectNode()
        .put("type", "service_account").put("project_id", "aigis-test-project")
        .put("private_key_id", keyId).put("private_key", privateKeyPem())
        .put("client_email", clientEmail).put("token_uri", tokenUri);
    return json.toString();
  }

  @Override
  public String toString() {
    return "TestServiceAccount[" + clientEmail + "]";
  }
}
