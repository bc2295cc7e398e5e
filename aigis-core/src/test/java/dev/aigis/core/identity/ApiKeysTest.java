package dev.aigis.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  /** A SecureRandom that hands out one fixed byte, for the extremes of the encoding. */
  private static SecureRandom constant(int value) {
    return new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        java.util.Arrays.fill(bytes, (byte) value);
      }
    };
  }

  @Test
  void keysHaveThePrefixAFixedLengthAndTheBase62Alphabet() {
    SecureRandom random = new SecureRandom();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      String key = ApiKeys.generate(random);
      assertThat(key).hasSize(52).hasSize(ApiKeys.LENGTH).matches("sk-aigis-[0-9A-Za-z]{43}");
      seen.add(key);
    }
    assertThat(seen).hasSize(500);
  }

  @Test
  void smallValuesArePaddedAndTheLargestFits() {
    assertThat(ApiKeys.generate(constant(0))).isEqualTo("sk-aigis-" + "0".repeat(43));
    // 2^256 - 1 in base62 needs all 43 digits.
    assertThat(ApiKeys.generate(constant(0xff))).hasSize(52).doesNotStartWith("sk-aigis-0");
  }

  @Test
  void hashIsSha256OfTheUtf8Bytes() {
    assertThat(ApiKeys.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(ApiKeys.sha256("abc")).isEqualTo(HexFormat.of().parseHex(ApiKeys.sha256Hex("abc")));
    assertThat(ApiKeys.sha256Hex("sk-aigis-" + "0".repeat(43)))
        .isEqualTo(HexFormat.of().formatHex(ApiKeys.sha256(("sk-aigis-" + "0".repeat(43)).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }
}
