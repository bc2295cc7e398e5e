package dev.aigis.core.guard.pii;

/**
 * The entity types the PII scanner finds; names follow Presidio's where Presidio has the type.
 *
 * <p>{@code maxLength} bounds a match (in UTF-16 chars) and so the streaming hold-back;
 * {@code spaced} says whether a match may contain whitespace: entities that may not are always a
 * single run of non-whitespace characters, which the streaming redactor holds back by the run
 * instead of by a fixed window.
 */
public enum PiiEntity {
  EMAIL_ADDRESS(128, false, false),
  /** Up to 15 digits (E.164) with separators, a trunk prefix such as {@code (0)} and an extension. */
  PHONE_NUMBER(32, true, true),
  /** 12 to 19 digits, in groups separated by spaces or dashes. */
  CREDIT_CARD(25, true, true),
  /** At most 34 characters, printed in groups of four: 34 + 8 spaces. */
  IBAN_CODE(42, true, true),
  US_SSN(11, true, true),
  /** An IPv6 address with an embedded IPv4 one is at most 45 characters. */
  IP_ADDRESS(45, false, true),
  AWS_ACCESS_KEY(20, false, false),
  /** {@code github_pat_} tokens are 93 characters; the bound leaves room for longer formats. */
  GITHUB_TOKEN(255, false, false),
  /** {@code sk-proj-} keys are about 164 characters. */
  OPENAI_KEY(256, false, false),
  /** Tokens carrying many claims reach a few KiB. */
  JWT(8192, false, false),
  /**
   * A PEM block from {@code -----BEGIN ... PRIVATE KEY-----} to its END line; a 4096-bit RSA key
   * is about 3.3 KiB. The length bounds the streaming hold once a BEGIN line was seen.
   */
  PRIVATE_KEY(8192, true, false);

  private final int maxLength;
  private final boolean spaced;
  private final boolean digits;

  PiiEntity(int maxLength, boolean spaced, boolean digits) {
    this.maxLength = maxLength;
    this.spaced = spaced;
    this.digits = digits;
  }

  /** The longest match, in UTF-16 chars. */
  public int maxLength() {
    return maxLength;
  }

  /** Whether a match may contain whitespace. */
  public boolean spaced() {
    return spaced;
  }

  /** Whether the value is mostly digits (MASK keeps the last four of them). */
  public boolean digitsBased() {
    return digits;
  }
}
