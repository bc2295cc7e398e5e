package dev.aigis.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenAiEncodingTest {

  static final String PROMPT = "You are a concise assistant for an e-commerce support team. Answer in at most three "
      + "sentences, cite the order number when one is given, and never invent tracking data.";

  @Test
  void aRepeatedTextCountsTheSameFromTheCacheAsItDidByEncoding() {
    long first = OpenAiEncoding.O200K_BASE.count(PROMPT);
    assertThat(first).isEqualTo(OpenAiEncoding.O200K_BASE.encoding().countTokensOrdinary(PROMPT));
    assertThat(OpenAiEncoding.O200K_BASE.count(new String(PROMPT.toCharArray()))).isEqualTo(first);
    // The cache is per encoding and per exact text.
    assertThat(OpenAiEncoding.CL100K_BASE.count(PROMPT))
        .isEqualTo(OpenAiEncoding.CL100K_BASE.encoding().countTokensOrdinary(PROMPT));
    String longer = PROMPT + " Always be polite, and answer in the customer's language.";
    assertThat(OpenAiEncoding.O200K_BASE.count(longer))
        .isEqualTo(OpenAiEncoding.O200K_BASE.encoding().countTokensOrdinary(longer)).isGreaterThan(first);
  }
}
