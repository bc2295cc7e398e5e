package dev.aigis.core.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.aigis.model.policy.JwtProvider.ClaimMapping;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns verified claims into an {@link Identity}: the subject claim must be a non-blank string;
 * the team claim counts when it is one; the groups claim may be a JSON list (its strings count) or
 * one string of names separated by spaces or commas (as some issuers write {@code scope}).
 */
record ClaimMapper(ClaimMapping mapping, String provider) {

  private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");

  /** Null when the subject claim is missing or not a string. */
  Identity identity(JWTClaimsSet claims) {
    if (!(claims.getClaim(mapping.subject()) instanceof String subject) || subject.isBlank()) {
      return null;
    }
    String team = claims.getClaim(mapping.team()) instanceof String t && !t.isBlank() ? t : null;
    return new Identity(Identity.Kind.JWT, subject, team, groups(claims.getClaim(mapping.groups())), Map.of(),
        frozenMap(claims.toJSONObject()), List.of(), provider);
  }

  private static List<String> groups(Object claim) {
    List<String> groups = new ArrayList<>();
    if (claim instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof String s && !s.isBlank()) {
          groups.add(s);
        }
      }
    } else if (claim instanceof String s) {
      for (String part : SEPARATORS.split(s.strip())) {
        if (!part.isEmpty()) {
          groups.add(part);
        }
      }
    }
    return groups;
  }

  /** A read-only deep copy: identities are shared across threads and must not change under them. */
  private static Map<String, Object> frozenMap(Map<?, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(String.valueOf(k), frozen(v)));
    return Collections.unmodifiableMap(copy);
  }

  private static Object frozen(Object value) {
    if (value instanceof Map<?, ?> map) {
      return frozenMap(map);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(item -> copy.add(frozen(item)));
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
