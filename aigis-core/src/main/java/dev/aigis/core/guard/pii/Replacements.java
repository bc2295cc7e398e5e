package dev.aigis.core.guard.pii;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Renders the replacement of one match under its action (see {@link PiiAction}). */
final class Replacements {

  private final SecretKeySpec key;

  Replacements(byte[] hashKey) {
    this.key = hashKey == null ? null : new SecretKeySpec(hashKey, "HmacSHA256");
  }

  String render(PiiEntity entity, PiiAction action, String value) {
    return switch (action) {
      case REDACT, BLOCK -> "[" + entity.name() + "]";
      case MASK -> mask(entity, value);
      case HASH -> "<" + entity.name() + ":" + hash(normalise(entity, value)) + ">";
    };
  }

  static String mask(PiiEntity entity, String value) {
    if (entity == PiiEntity.PRIVATE_KEY) {
      return "[PRIVATE_KEY]";
    }
    if (entity == PiiEntity.EMAIL_ADDRESS) {
      int at = value.lastIndexOf('@');
      return value.charAt(0) + "***" + value.substring(at);
    }
    var sb = new StringBuilder(value);
    int kept = 0;
    for (int i = sb.length() - 1; i >= 0; i--) {
      if (Character.isLetterOrDigit(sb.charAt(i)) && kept++ >= 4) {
        sb.setCharAt(i, '*');
      }
    }
    return sb.toString();
  }

  private static String normalise(PiiEntity entity, String value) {
    if (entity.digitsBased() && entity != PiiEntity.IP_ADDRESS) {
      var sb = new StringBuilder();
      value.chars().filter(Character::isLetterOrDigit).forEach(c -> sb.append((char) c));
      return sb.toString().toUpperCase(Locale.ROOT);
    }
    return entity == PiiEntity.EMAIL_ADDRESS || entity == PiiEntity.IP_ADDRESS
        ? value.toLowerCase(Locale.ROOT) : value;
  }

  /** Mac instances are not thread-safe and cheap to make: one per call. */
  private String hash(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 6);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
