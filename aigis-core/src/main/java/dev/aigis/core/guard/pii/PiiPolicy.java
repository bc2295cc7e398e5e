package dev.aigis.core.guard.pii;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to do with each entity type; types without an action are not looked for.
 *
 * @param actions the action per type
 * @param hashKey the gateway's HMAC key for {@link PiiAction#HASH}, at least 16 bytes; required
 *     when any action is HASH, otherwise may be null. Keep it secret and stable: tokens are only
 *     comparable under one key
 * @param phoneRegions ISO 3166 regions whose national phone formats are recognised (US by
 *     default); international numbers written with {@code +} are recognised whatever the list
 */
public record PiiPolicy(Map<PiiEntity, PiiAction> actions, byte[] hashKey, List<String> phoneRegions) {

  public static final List<String> DEFAULT_PHONE_REGIONS = List.of("US");

  public PiiPolicy {
    actions = actions.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(actions));
    phoneRegions = List.copyOf(phoneRegions);
    if (actions.containsValue(PiiAction.HASH)) {
      Objects.requireNonNull(hashKey, "hashKey is required when an entity's action is HASH");
      if (hashKey.length < 16) {
        throw new IllegalArgumentException("hashKey must be at least 16 bytes");
      }
    }
    hashKey = hashKey == null ? null : hashKey.clone();
  }

  public PiiPolicy(Map<PiiEntity, PiiAction> actions, byte[] hashKey) {
    this(actions, hashKey, DEFAULT_PHONE_REGIONS);
  }

  /** One action for every type. */
  public static PiiPolicy all(PiiAction action, byte[] hashKey) {
    Map<PiiEntity, PiiAction> actions = new EnumMap<>(PiiEntity.class);
    for (PiiEntity e : PiiEntity.values()) {
      actions.put(e, action);
    }
    return new PiiPolicy(actions, hashKey);
  }

  @Override
  public byte[] hashKey() {
    return hashKey == null ? null : hashKey.clone();
  }

  @Override
  public String toString() {
    return "PiiPolicy[actions=" + actions + ", phoneRegions=" + phoneRegions + "]"; // never the key
  }
}
