package dev.aigis.model.snapshot;

import dev.aigis.model.Secret;
import dev.aigis.model.policy.ApiKey;
import dev.aigis.model.policy.ApiKeySecret;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Turns Secrets of type {@code aigis.dev/api-key} into {@link ApiKey}s, in load order. A key is found
 * by its hash and shown by its name, so both must be unambiguous: a name used twice in one namespace
 * or a hash used twice anywhere is an error on the later Secret.
 */
final class ApiKeyCollector {

  private final Problems problems;
  private final List<ApiKey> keys = new ArrayList<>();
  /** {@code namespace/keyName} → the Secret that first used it. */
  private final Map<String, Secret> byName = new HashMap<>();
  /** Hex hash → the Secret that first used it. */
  private final Map<String, Secret> byHash = new HashMap<>();

  ApiKeyCollector(Problems problems) {
    this.problems = problems;
  }

  /** Adds the key {@code secret} holds, if it is of the API key type. */
  void add(Secret secret) {
    if (!ApiKey.SECRET_TYPE.equals(secret.type())) {
      return;
    }
    // Only Secrets that did not come through the loader (which checks the same) can fail here.
    ApiKey key = ApiKeySecret.read(secret, (path, message) -> problems.at(secret, path, message));
    if (key == null) {
      return;
    }
    Secret sameName = byName.putIfAbsent(secret.metadata().namespace() + "/" + key.name(), secret);
    if (sameName != null) {
      problems.at(secret, secret.data().containsKey("name") ? ApiKeySecret.fieldPath(secret, "name") : "metadata.name",
          "API key name \"" + key.name() + "\" is already used in namespace " + secret.metadata().namespace()
              + " by Secret " + sameName.metadata().qualifiedName() + " (" + sameName.source() + ")");
      return;
    }
    Secret sameHash = byHash.putIfAbsent(HexFormat.of().formatHex(key.sha256()), secret);
    if (sameHash != null) {
      problems.at(secret, ApiKeySecret.fieldPath(secret, "sha256"), "the same key (sha256) as Secret "
          + sameHash.metadata().qualifiedName() + " (" + sameHash.source() + "): every API key must be different");
      return;
    }
    keys.add(key);
  }

  List<ApiKey> keys() {
    return keys;
  }
}
