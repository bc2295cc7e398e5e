package dev.aigis.model.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An Aigis virtual API key as a Secret of type {@code aigis.dev/api-key} describes it: only the
 * SHA-256 of the key is stored, never the key.
 *
 * @param name the key's name (the access log and usage report show it)
 * @param team the team it belongs to, or null
 * @param sha256 the 32-byte SHA-256 of the key's UTF-8 bytes
 * @param models model-name globs ({@code *} matches any run) the key is limited to; empty: no limit of its own
 * @param labels free-form labels AccessPolicy rules may match
 * @param expires when it stops working, or null
 * @param secret {@code namespace/name} of the Secret it came from
 */
public record ApiKey(String name, String team, byte[] sha256, List<String> models, Map<String, String> labels,
    Instant expires, String secret) {

  public static final String SECRET_TYPE = "aigis.dev/api-key";

  public ApiKey {
    sha256 = sha256.clone();
    models = models == null ? List.of() : List.copyOf(models);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  @Override
  public String toString() {
    return "ApiKey[" + name + ", team=" + team + ", secret=" + secret + "]";
  }
}
