package dev.aigis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyOccurrenceIsReplaced() {
    byte[] out = SecretScrubber.scrub(bytes("key sk-abcdef12 and again sk-abcdef12."), "sk-abcdef12");
    assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("key [REDACTED] and again [REDACTED].");
  }

  @Test
  void aBodyWithoutTheSecretIsReturnedAsItIs() {
    byte[] body = bytes("{\"error\":\"nope\"}");
    assertThat(SecretScrubber.scrub(body, "sk-abcdef12")).isSameAs(body);
    assertThat(SecretScrubber.scrub(body, null)).isSameAs(body);
  }

  @Test
  void shortValuesAreNotTreatedAsSecrets() {
    byte[] body = bytes("error: bad key");
    assertThat(SecretScrubber.scrub(body, "key")).isSameAs(body);
  }
}
