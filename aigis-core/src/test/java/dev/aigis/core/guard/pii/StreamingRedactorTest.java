package dev.aigis.core.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.guard.StreamTextFilter.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class StreamingRedactorTest {

  private static final PiiRedactor REDACTOR = new PiiRedactor(PiiPolicy.all(PiiAction.REDACT, null));

  /** Pushes the deltas and finishes; one output per delta, asserted. */
  static List<String> stream(PiiRedactor redactor, List<String> deltas) {
    var filter = redactor.streaming();
    List<String> out = new ArrayList<>();
    for (String d : deltas) {
      Release r = filter.push(d);
      assertThat(r.blocked()).isNull();
      out.addAll(r.texts());
    }
    Release end = filter.finish();
    assertThat(end.blocked()).isNull();
    out.addAll(end.texts());
    assertThat(out).hasSameSizeAs(deltas);
    return out;
  }

  @ParameterizedTest
  @EnumSource(PiiEntity.class)
  void anEntitySplitInTwoAtEveryOffsetIsRedactedOnceInTheDeltaWhereItStarts(PiiEntity entity) {
    String text = Samples.sentence(entity);
    int start = Samples.LEAD.get(entity).length();
    String expected = REDACTOR.apply(text).text();
    assertThat(expected).isEqualTo(Samples.LEAD.get(entity) + "[" + entity + "] and more text after it.");
    for (int cut = 0; cut <= text.length(); cut++) {
      List<String> out = stream(REDACTOR, List.of(text.substring(0, cut), text.substring(cut)));
      assertThat(String.join("", out)).as("cut at %d", cut).isEqualTo(expected);
      int holder = cut > start ? 0 : 1;
      assertThat(out.get(holder)).as("cut at %d", cut).contains("[" + entity + "]");
    }
  }

  @ParameterizedTest
  @EnumSource(PiiEntity.class)
  void anEntityInOneCharDeltasIsReplacedAtItsFirstCharAndTheRestEmptied(PiiEntity entity) {
    String text = Samples.sentence(entity);
    int start = Samples.LEAD.get(entity).length();
    int end = start + Samples.VALUES.get(entity).length();
    List<String> out = stream(REDACTOR, text.chars().mapToObj(c -> String.valueOf((char) c)).toList());
    assertThat(String.join("", out)).isEqualTo(REDACTOR.apply(text).text());
    assertThat(out.get(start)).isEqualTo("[" + entity + "]");
    assertThat(out.subList(start + 1, end)).allMatch(String::isEmpty);
    for (int i = 0; i < text.length(); i++) {
      if (i < start || i >= end) {
        assertThat(out.get(i)).isEqualTo(String.valueOf(text.charAt(i)));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = PiiAction.class, names = {"REDACT", "MASK", "HASH"})
  void randomCutsOfAMixedTextMatchTheWholeTextRedaction(PiiAction action) {
    var redactor = new PiiRedactor(PiiPolicy.all(action, "stream-test-key-0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    var sb = new StringBuilder("Hi team,\n");
    for (PiiEntity e : PiiEntity.values()) {
      sb.append(Samples.sentence(e)).append('\n');
    }
    String text = sb.append("Thanks! 😀").toString();
    String expected = redactor.apply(text).text();
    assertThat(redactor.apply(text).found()).hasSize(PiiEntity.values().length);
    var random = new Random(7);
    for (int round = 0; round < 20; round++) {
      List<String> deltas = new ArrayList<>();
      for (int i = 0; i < text.length(); ) {
        int n = Math.min(text.length() - i, random.nextInt(12));
        deltas.add(text.substring(i, i + n));
        i += n;
      }
      assertThat(String.join("", stream(redactor, deltas))).isEqualTo(expected);
    }
  }

  @Test
  void textWithoutEntitiesIsHeldNoLongerThanTheWindowOrTheWordBeingWritten() {
    String text = "The quick brown fox jumps over the lazy dog, twice; then it rests for a while. ".repeat(8);
    var filter = REDACTOR.streaming();
    int released = 0;
    for (int i = 0; i < text.length(); i++) {
      Release r = filter.push(String.valueOf(text.charAt(i)));
      released += r.texts().size();
      assertThat(String.join("", r.texts())).isEqualTo(text.substring(released - r.texts().size(), released));
      int pushed = i + 1;
      assertThat(pushed - released).isLessThanOrEqualTo(filter.window());
    }
    assertThat(filter.window()).isEqualTo(PiiEntity.IBAN_CODE.maxLength() + 2); // the longest spaced type
    assertThat(filter.finish().texts()).hasSize(text.length() - released);
  }

  @Test
  void theWindowFollowsTheEnabledTypes() {
    var ssnOnly = new PiiRedactor(new PiiPolicy(Map.of(PiiEntity.US_SSN, PiiAction.REDACT), null)).streaming();
    assertThat(ssnOnly.window()).isEqualTo(13);
    assertThat(ssnOnly.runCap()).isZero();
    var emailOnly = new PiiRedactor(new PiiPolicy(Map.of(PiiEntity.EMAIL_ADDRESS, PiiAction.REDACT), null)).streaming();
    assertThat(emailOnly.window()).isZero();
    // a finished word goes out as soon as the space after it arrives
    assertThat(emailOnly.push("hello").texts()).isEmpty();
    assertThat(emailOnly.push(" ").texts()).containsExactly("hello", " ");
  }

  @Test
  void aBlockedEntityEndsTheStreamBeforeItIsReleased() {
    var redactor = new PiiRedactor(new PiiPolicy(Map.of(PiiEntity.CREDIT_CARD, PiiAction.BLOCK), null));
    var filter = redactor.streaming();
    List<String> out = new ArrayList<>();
    String blocked = null;
    for (String d : List.of("Your card ", "4111 1111 ", "1111 1111", " is on file; more text follows here to pass the window.")) {
      Release r = filter.push(d);
      out.addAll(r.texts());
      if (r.blocked() != null) {
        blocked = r.blocked();
        break;
      }
    }
    assertThat(blocked).isEqualTo("PII:CREDIT_CARD");
    assertThat(String.join("", out)).doesNotContain("4111");
    assertThat(filter.push("more").texts()).isEmpty();
    assertThat(filter.finish()).isEqualTo(Release.NONE);
  }

  @Test
  void anOverlongPrivateKeyIsReleasedAsOneReplacementAndItsRestDropped() {
    String body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n".repeat(200); // 13 KB
    String text = "key:\n-----BEGIN PRIVATE KEY-----\n" + body + "-----END PRIVATE KEY-----\nafter the key";
    List<String> deltas = new ArrayList<>();
    for (int i = 0; i < text.length(); i += 100) {
      deltas.add(text.substring(i, Math.min(text.length(), i + 100)));
    }
    List<String> out = stream(REDACTOR, deltas);
    assertThat(String.join("", out)).isEqualTo("key:\n[PRIVATE_KEY]\nafter the key");
    assertThat(String.join("", out)).isEqualTo(REDACTOR.apply(text).text());
  }

  @Test
  void aKeyCutOffByTheEndOfTheStreamIsRedactedToTheEnd() {
    List<String> out = stream(REDACTOR, List.of("k: -----BEGIN EC PRIVATE KEY-----\n", "MHcCAQEEIBkg4LVWM9nuwNSk3yPxfa"));
    assertThat(String.join("", out)).isEqualTo("k: [PRIVATE_KEY]");
  }

  @Test
  void emptyDeltasKeepTheirPlace() {
    List<String> out = stream(REDACTOR, List.of("", "mail a@b.co", "", " ok", ""));
    assertThat(out).containsExactly("", "mail [EMAIL_ADDRESS]", "", " ok", "");
  }
}
