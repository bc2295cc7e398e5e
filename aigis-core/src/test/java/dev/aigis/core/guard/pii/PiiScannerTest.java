package dev.aigis.core.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PiiScannerTest {

  private static final PiiScanner SCANNER = PiiScanner.all();

  @ParameterizedTest
  @EnumSource(PiiEntity.class)
  void findsEachSampleExactly(PiiEntity entity) {
    String text = Samples.sentence(entity);
    int start = Samples.LEAD.get(entity).length();
    assertThat(SCANNER.scan(text))
        .containsExactly(new PiiMatch(entity, start, start + Samples.VALUES.get(entity).length()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      Card 4111-1111-1111-1111 please                         | CREDIT_CARD   | 4111-1111-1111-1111
      amex 3782 822463 10005.                                 | CREDIT_CARD   | 3782 822463 10005
      pay 4111111111111111 now                                | CREDIT_CARD   | 4111111111111111
      card 4111 1111 1111 1111 12/27                          | CREDIT_CARD   | 4111 1111 1111 1111
      iban: de89370400440532013000                            | IBAN_CODE     | de89370400440532013000
      to DE89 3704 0044 0532 0130 00 please                   | IBAN_CODE     | DE89 3704 0044 0532 0130 00
      SSN 536 22 1234.                                        | US_SSN        | 536 22 1234
      social security number: 536221234                       | US_SSN        | 536221234
      from 10.0.12.7, then                                    | IP_ADDRESS    | 10.0.12.7
      mapped ::ffff:192.0.2.128 here                          | IP_ADDRESS    | ::ffff:192.0.2.128
      Mobile: 0490 75 40 81                                   | PHONE_NUMBER  | 0490 75 40 81
      Ring +41 (0)71 526 99 04 today                          | PHONE_NUMBER  | +41 (0)71 526 99 04
      fax 345-899-3560x4587                                   | PHONE_NUMBER  | 345-899-3560x4587
      <Ann.Lee@example.org>                                   | EMAIL_ADDRESS | Ann.Lee@example.org
      see github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW ok | GITHUB_TOKEN | github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW
      id ASIAY34FZKBOKMUTVV7A.                                | AWS_ACCESS_KEY| ASIAY34FZKBOKMUTVV7A
      """)
  void findsWrittenForms(String text, PiiEntity entity, String value) {
    int start = text.indexOf(value);
    assertThat(SCANNER.scan(text)).containsExactly(new PiiMatch(entity, start, start + value.length()));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "card 4111 1111 1111 1112 (Luhn fails)",
      "phone-shaped but Luhn valid: 411 111 111 111 1111",
      "GB82 WEST 1234 5698 7654 33 fails mod 97",
      "XX82 WEST 1234 5698 7654 32 has no country",
      "ssn 000-12-3456", "ssn 666-12-3456", "ssn 912-12-3456", "ssn 536-00-1234", "ssn 536-22-0000",
      "ssn 111-11-1111", "ssn 536-22 1234 mixes separators", "no context 536221234",
      "std::vector<int> and Foo::bar", "at 10:30:00 sharp", "version 1.2.3", "ip 999.1.1.1",
      "on 2024-01-15 we met", "order 1234567 shipped", "sk-short",
      "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.c2ln has no alg",
      "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
      "mail at example.com or @handle"})
  void findsNothingIn(String text) {
    assertThat(SCANNER.scan(text)).isEmpty();
  }

  @Test
  void offsetsAreUtf16AndMatchesSortedAndDisjoint() {
    String text = "😀 a@b.co 😀 and 4111 1111 1111 1111, 10.1.2.3";
    List<PiiMatch> found = SCANNER.scan(text);
    assertThat(found).extracting(PiiMatch::entity)
        .containsExactly(PiiEntity.EMAIL_ADDRESS, PiiEntity.CREDIT_CARD, PiiEntity.IP_ADDRESS);
    assertThat(found.getFirst()).isEqualTo(new PiiMatch(PiiEntity.EMAIL_ADDRESS, 3, 9));
  }

  @Test
  void theLongestCandidateWinsAnOverlap() {
    // the card's digits would also make a phone number after "call"; the card is longer
    String text = "call 4111 1111 1111 1111";
    assertThat(SCANNER.scan(text)).containsExactly(new PiiMatch(PiiEntity.CREDIT_CARD, 5, 24));
  }

  @Test
  void anUnterminatedPrivateKeyRunsToTheEnd() {
    String text = "x -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU";
    assertThat(SCANNER.scan(text)).containsExactly(new PiiMatch(PiiEntity.PRIVATE_KEY, 2, text.length()));
  }

  @Test
  void onlyEnabledTypesAndConfiguredRegions() {
    var cards = new PiiScanner(java.util.Set.of(PiiEntity.CREDIT_CARD), List.of());
    assertThat(cards.scan("a@b.co 4111111111111111")).containsExactly(new PiiMatch(PiiEntity.CREDIT_CARD, 7, 23));
    var gb = new PiiScanner(java.util.Set.of(PiiEntity.PHONE_NUMBER), List.of("GB"));
    assertThat(gb.scan("ring 020 7946 0018 now")).containsExactly(new PiiMatch(PiiEntity.PHONE_NUMBER, 5, 18));
    assertThat(new PiiScanner(java.util.Set.of(PiiEntity.PHONE_NUMBER), List.of("US")).scan("see 020 7946 0018 now")).isEmpty();
  }
}
