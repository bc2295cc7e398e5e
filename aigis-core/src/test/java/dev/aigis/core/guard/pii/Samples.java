package dev.aigis.core.guard.pii;

import java.util.LinkedHashMap;
import java.util.Map;

/** One well-formed value per entity type, in a sentence the scanner recognises it in. */
final class Samples {

  private Samples() {}

  static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
      + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
      + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
  static final String PRIVATE_KEY = """
      -----BEGIN RSA PRIVATE KEY-----
      MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu
      KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm
      -----END RSA PRIVATE KEY-----""";

  /** value per type */
  static final Map<PiiEntity, String> VALUES = new LinkedHashMap<>();
  /** the text before each value: the phone needs a phone word, the rest reads naturally */
  static final Map<PiiEntity, String> LEAD = new LinkedHashMap<>();

  static {
    add(PiiEntity.EMAIL_ADDRESS, "write to ", "jane.doe+news@mail.example.com");
    add(PiiEntity.PHONE_NUMBER, "call me at ", "(202) 456-1111");
    add(PiiEntity.CREDIT_CARD, "my card is ", "4111 1111 1111 1111");
    add(PiiEntity.IBAN_CODE, "wire it to ", "GB82 WEST 1234 5698 7654 32");
    add(PiiEntity.US_SSN, "my SSN is ", "536-22-1234");
    add(PiiEntity.IP_ADDRESS, "the host is ", "2001:db8::8a2e:370:7334");
    add(PiiEntity.AWS_ACCESS_KEY, "key id ", "AKIAIOSFODNN7EXAMPLE");
    add(PiiEntity.GITHUB_TOKEN, "token ", "ghp_" + "aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5");
    add(PiiEntity.OPENAI_KEY, "OPENAI_API_KEY=", "sk-proj-" + "Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90_-Uv");
    add(PiiEntity.JWT, "Authorization: Bearer ", JWT);
    add(PiiEntity.PRIVATE_KEY, "here it is:\n", PRIVATE_KEY);
  }

  private static void add(PiiEntity e, String lead, String value) {
    LEAD.put(e, lead);
    VALUES.put(e, value);
  }

  /** lead + value + " and more text after it." */
  static String sentence(PiiEntity e) {
    return LEAD.get(e) + VALUES.get(e) + " and more text after it.";
  }
}
