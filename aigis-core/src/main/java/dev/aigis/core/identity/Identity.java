package dev.aigis.core.identity;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who made a request, as an API key or a verified JWT describes them. Never holds a secret: an API
 * key identity carries the key's name, not the key; a JWT identity carries the token's claims, not
 * the token.
 *
 * @param kind how the caller authenticated
 * @param name the API key's name or the JWT's subject
 * @param team the team, or null
 * @param groups the JWT's groups; empty for API keys
 * @param labels the API key's labels; empty for JWTs
 * @param claims the JWT's claims as plain Java values (String, Long, Double, Boolean, List, Map, null),
 *     read-only; empty for API keys
 * @param modelGlobs the API key's own model list; empty: the key does not narrow the models
 * @param provider the JWT provider's name, or null for API keys
 */
public record Identity(
    Kind kind,
    String name,
    String team,
    List<String> groups,
    Map<String, String> labels,
    Map<String, Object> claims,
    List<String> modelGlobs,
    String provider) {

  public enum Kind { API_KEY, JWT }

  public Identity {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    groups = groups == null ? List.of() : List.copyOf(groups);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    // JSON claims may hold null values, which Map.copyOf refuses.
    claims = claims == null || claims.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    modelGlobs = modelGlobs == null ? List.of() : List.copyOf(modelGlobs);
  }

  /**
   * Whether the key's own model list admits {@code model}: true when the list is empty, else when
   * one glob matches the whole name ({@code *} matches any run of characters, everything else is
   * literal). Policies may narrow further; this is only the key's part.
   */
  public boolean keyAllows(String model) {
    if (modelGlobs.isEmpty()) {
      return true;
    }
    if (model == null) {
      return false;
    }
    for (String glob : modelGlobs) {
      if (ModelGlob.matches(glob, model)) {
        return true;
      }
    }
    return false;
  }
}
