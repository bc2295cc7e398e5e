package dev.aigis.model.load;

import dev.aigis.model.ObjectMeta;
import dev.aigis.model.Secret;
import dev.aigis.model.SourceRef;
import dev.aigis.model.policy.ApiKey;
import dev.aigis.model.policy.ApiKeySecret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a core/v1 Secret: {@code data} is base64 and decoded here, {@code stringData} is plain text and
 * wins over {@code data} for the same key, as the Kubernetes API server does. A Secret of type
 * {@code aigis.dev/api-key} is also checked as an API key ({@link ApiKeySecret}). No message ever
 * contains a value.
 */
final class SecretReader {

  private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  private SecretReader() {}

  static Secret read(Fields doc, ObjectMeta metadata, SourceRef source) {
    doc.bool("immutable", false);
    String type = doc.string("type");
    Map<String, byte[]> data = new LinkedHashMap<>();
    Map<String, String> encoded = doc.stringMap("data");
    if (encoded != null) {
      encoded.forEach((key, value) -> {
        checkKey(doc, "data", key);
        try {
          // Kubernetes manifests often wrap long base64 values; whitespace is not part of the encoding.
          data.put(key, Base64.getDecoder().decode(value.replaceAll("\\s", "")));
        } catch (IllegalArgumentException e) {
          doc.issues().add(FieldPaths.field(doc.path("data"), key), "invalid base64");
        }
      });
    }
    Map<String, String> plain = doc.stringMap("stringData");
    if (plain != null) {
      plain.forEach((key, value) -> {
        checkKey(doc, "stringData", key);
        data.put(key, value.getBytes(StandardCharsets.UTF_8));
      });
    }
    Secret secret = new Secret(metadata, source, type, data);
    if (ApiKey.SECRET_TYPE.equals(type)) {
      ApiKeySecret.read(secret, doc.issues()::add);
    }
    return secret;
  }

  private static void checkKey(Fields doc, String field, String key) {
    if (!KEY.matcher(key).matches()) {
      doc.issues().add(FieldPaths.field(doc.path(field), key), "invalid key: must be letters, digits, '-', '_' and '.'");
    }
  }
}
