package dev.aigis.model.policy;

import java.util.List;

/**
 * The credentials an AccessPolicy accepts: Aigis API keys (Secrets of type {@code aigis.dev/api-key})
 * and JWT bearer tokens from the listed providers. At least one must be enabled for the policy to
 * admit anyone.
 */
public record Authentication(boolean apiKeys, List<JwtProvider> jwtProviders) {

  public static final Authentication NONE = new Authentication(false, List.of());

  public Authentication {
    jwtProviders = jwtProviders == null ? List.of() : List.copyOf(jwtProviders);
  }
}
