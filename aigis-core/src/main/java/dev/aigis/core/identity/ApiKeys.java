package dev.aigis.core.identity;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The Aigis API key format: {@code sk-aigis-} followed by 32 random bytes in base62, left-padded
 * with {@code 0} to 43 characters (the most 256 bits need) so every key has the same length. A
 * Secret stores only the key's SHA-256.
 */
public final class ApiKeys {

  /** Marks a credential as an Aigis key, and lets secret scanners find leaked ones. */
  public static final String PREFIX = "sk-aigis-";
  static final int RANDOM_BYTES = 32;
  static final int BODY_LENGTH = 43;
  /** Every key's length: 52. */
  public static final int LENGTH = PREFIX.length() + BODY_LENGTH;

  private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final BigInteger SIXTY_TWO = BigInteger.valueOf(62);

  private ApiKeys() {}

  public static String generate(SecureRandom random) {
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    BigInteger n = new BigInteger(1, bytes);
    Arrays.fill(bytes, (byte) 0);
    char[] body = new char[BODY_LENGTH];
    Arrays.fill(body, BASE62[0]);
    for (int i = BODY_LENGTH - 1; n.signum() > 0; i--) {
      BigInteger[] quotientAndRemainder = n.divideAndRemainder(SIXTY_TWO);
      body[i] = BASE62[quotientAndRemainder[1].intValue()];
      n = quotientAndRemainder[0];
    }
    return PREFIX + new String(body);
  }

  /** The SHA-256 of the key's UTF-8 bytes: what an {@code aigis.dev/api-key} Secret stores. */
  public static byte[] sha256(String key) {
    return sha256(key.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256Hex(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
