package dev.aigis.core.policy;

import dev.aigis.core.exchange.AttributeKey;
import dev.aigis.core.identity.Identity;
import dev.aigis.core.processing.cel.PolicyExpressions;
import java.util.HashMap;
import java.util.Map;

/** The exchange attributes the policy processors share with later processors, the access log and audit. */
public final class PolicyAttributes {

  /** Who the caller is, once an AccessPolicy authenticated it. */
  public static final AttributeKey<Identity> IDENTITY = AttributeKey.of("identity", Identity.class);

  private PolicyAttributes() {}

  /**
   * Who is asking, as one key: the authenticated identity ({@code id:<kind>:<name>}), else the
   * client's address ({@code addr:...}). For per-caller state (anomaly baselines, a cache scoped
   * to its caller); never a metric label.
   */
  public static String caller(dev.aigis.core.exchange.ExchangeContext context) {
    Identity identity = context.attributes().get(IDENTITY);
    return identity != null ? "id:" + identity.kind() + ":" + identity.name() : "addr:" + context.clientAddress();
  }

  /** The identity as policy expressions see it ({@code identity.key}, {@code identity.team}, ...). */
  public static Map<String, Object> celIdentity(Identity identity) {
    if (identity == null) {
      return Map.of();
    }
    Map<String, Object> map = new HashMap<>(12);
    map.put("key", identity.name());
    map.put("name", identity.name());
    map.put("team", identity.team() == null ? "" : identity.team());
    map.put("groups", identity.groups());
    map.put("labels", identity.labels());
    map.put("claims", PolicyExpressions.celValue(identity.claims()));
    map.put("kind", identity.kind() == Identity.Kind.API_KEY ? "ApiKey" : "Jwt");
    map.put("provider", identity.provider() == null ? "" : identity.provider());
    return map;
  }
}
