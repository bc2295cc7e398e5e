package dev.aigis.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.aigis.model.policy.ApiKey;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The Secret that describes an API key to the gateway: its hash and attributes, never the key.
 * {@code stringData} so the manifest stays readable; Kubernetes stores it base64-encoded in
 * {@code data}.
 */
record ApiKeySecretManifest(String name, String namespace, String sha256Hex, String team, List<String> models,
    Map<String, String> labels, Instant expires) {

  static final String SECRET_PREFIX = "aigis-key-";
  static final String SELECTOR_LABEL = "aigis.dev/api-key";

  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      // Every value quoted: unquoted, "true" would be a boolean, an expiry a YAML timestamp and an
      // all-digit hash a number to the parsers between this output and the API server.
      .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build();

  String yaml() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", SECRET_PREFIX + name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    metadata.put("labels", Map.of(SELECTOR_LABEL, "true"));

    Map<String, String> stringData = new LinkedHashMap<>();
    stringData.put("name", name);
    stringData.put("sha256", sha256Hex);
    if (team != null) {
      stringData.put("team", team);
    }
    if (!models.isEmpty()) {
      stringData.put("models", String.join(",", models));
    }
    if (!labels.isEmpty()) {
      stringData.put("labels", new TreeMap<>(labels).entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
    }
    if (expires != null) {
      stringData.put("expires", expires.toString()); // Instant prints RFC 3339 in UTC
    }

    Map<String, Object> secret = new LinkedHashMap<>();
    secret.put("apiVersion", "v1");
    secret.put("kind", "Secret");
    secret.put("type", ApiKey.SECRET_TYPE);
    secret.put("metadata", metadata);
    secret.put("stringData", stringData);
    try {
      // A document marker and a final newline, so `keys create -o yaml >> keys.yaml` builds a valid multi-document file.
      String yaml = YAML.writeValueAsString(secret);
      return "---\n" + yaml + (yaml.endsWith("\n") ? "" : "\n");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
