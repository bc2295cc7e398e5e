package dev.aigis.core.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiRedactorTest {

  private static final byte[] KEY = "0123456789abcdef-gateway-key".getBytes(StandardCharsets.UTF_8);

  private static PiiRedactor redactor(PiiAction action) {
    return new PiiRedactor(PiiPolicy.all(action, KEY));
  }

  @Test
  void redactReplacesEachEntityByItsType() {
    var r = redactor(PiiAction.REDACT).apply("Mail jane@example.com or call (202) 456-1111.");
    assertThat(r.text()).isEqualTo("Mail [EMAIL_ADDRESS] or call [PHONE_NUMBER].");
    assertThat(r.found()).extracting(PiiMatch::entity).containsExactly(PiiEntity.EMAIL_ADDRESS, PiiEntity.PHONE_NUMBER);
    assertThat(r.blocked()).isFalse();
  }

  @Test
  void maskKeepsTheShapeAndTheLastFour() {
    var mask = redactor(PiiAction.MASK);
    assertThat(mask.apply("card 4111-1111-1111-1111").text()).isEqualTo("card ****-****-****-1111");
    assertThat(mask.apply("to jane.doe@example.com").text()).isEqualTo("to j***@example.com");
    assertThat(mask.apply("ssn 536-22-1234").text()).isEqualTo("ssn ***-**-1234");
    assertThat(mask.apply("k:\n" + Samples.PRIVATE_KEY).text()).isEqualTo("k:\n[PRIVATE_KEY]");
  }

  @Test
  void hashIsStableAcrossFormatsAndKeyed() {
    var hash = redactor(PiiAction.HASH);
    String a = hash.apply("4111 1111 1111 1111").text();
    String b = hash.apply("4111-1111-1111-1111").text();
    assertThat(a).matches("<CREDIT_CARD:[0-9a-f]{12}>").isEqualTo(b);
    assertThat(hash.apply("Jane@Example.com").text()).isEqualTo(hash.apply("jane@example.com").text());
    var other = new PiiRedactor(PiiPolicy.all(PiiAction.HASH, "another-gateway-key-0000".getBytes(StandardCharsets.UTF_8)));
    assertThat(other.apply("4111 1111 1111 1111").text()).isNotEqualTo(a);
    assertThat(hash.apply("4111 1111 1111 1111").text()).isNotEqualTo(hash.apply("5555 5555 5555 4444").text());
  }

  @Test
  void blockFlagsTheTextAndStillRedactsIt() {
    var policy = new PiiPolicy(Map.of(PiiEntity.CREDIT_CARD, PiiAction.BLOCK, PiiEntity.EMAIL_ADDRESS, PiiAction.REDACT), null);
    var r = new PiiRedactor(policy).apply("a@b.co paid with 4111 1111 1111 1111");
    assertThat(r.blocked()).isTrue();
    assertThat(r.text()).isEqualTo("[EMAIL_ADDRESS] paid with [CREDIT_CARD]");
    assertThat(r.blockedBy(policy)).isEqualTo(PiiEntity.CREDIT_CARD);
  }

  @Test
  void typesWithoutAnActionAreLeftAlone() {
    var r = new PiiRedactor(new PiiPolicy(Map.of(PiiEntity.US_SSN, PiiAction.REDACT), null)).apply("a@b.co 536-22-1234");
    assertThat(r.text()).isEqualTo("a@b.co [US_SSN]");
  }

  @Test
  void policyIsCheckedWhenBuilt() {
    assertThatThrownBy(() -> new PiiPolicy(Map.of(PiiEntity.JWT, PiiAction.HASH), null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("hashKey");
    assertThatThrownBy(() -> new PiiPolicy(Map.of(PiiEntity.JWT, PiiAction.HASH), new byte[8]))
        .hasMessageContaining("16 bytes");
    assertThatThrownBy(() -> new PiiRedactor(new PiiPolicy(Map.of(PiiEntity.PHONE_NUMBER, PiiAction.REDACT), null, java.util.List.of("XX"))))
        .hasMessageContaining("unknown phone region");
    assertThat(PiiPolicy.all(PiiAction.HASH, KEY).toString()).doesNotContain("0123456789");
  }

  @Test
  void scorerFlagsTextsWithAnEntityAndNamesTheTypes() {
    var scorer = new PiiScorer(PiiScanner.all());
    var s = scorer.score("a@b.co, c@d.co and 536-22-1234");
    assertThat(s.score()).isEqualTo(1.0);
    assertThat(s.flagged()).isTrue();
    assertThat(s.signals()).containsExactly("EMAIL_ADDRESS", "US_SSN");
    assertThat(scorer.score("nothing here").flagged()).isFalse();
  }
}
