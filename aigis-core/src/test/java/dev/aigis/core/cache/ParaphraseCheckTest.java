package dev.aigis.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParaphraseCheckTest {

  private final ParaphraseCheck check = new ParaphraseCheck(0.86, 1.0, 0.5, 0);

  @Test
  void aRewordingAboveTheFloorIsAParaphrase() {
    assertThat(check.accepts("What is the capital of France?", "Tell me, what is the capital of France?", 0.96)).isTrue();
    assertThat(check.accepts("What is the capital of France?", "what's the capital of France", 0.90)).isTrue();
  }

  @Test
  void theFloorSwappedNamesASwappedContentWordAndOtherNumbersAreNot() {
    assertThat(check.accepts("What is the capital of France?", "Tell me, what is the capital of France?", 0.80)).isFalse();
    assertThat(check.accepts("Flights from Paris to Rome tomorrow", "Flights from Rome to Paris tomorrow", 0.99)).isFalse();
    assertThat(check.accepts("How do I reset my password?", "How do I change my password?", 0.95)).isFalse();
    assertThat(check.accepts("Book a table for 4 people", "Book a table for 5 people", 0.98)).isFalse();
  }

  @Test
  void anEntryWithoutItsQuestionCannotBeCheckedButCosineOnlyNeedsNone() {
    assertThat(check.accepts(null, "anything", 0.99)).isFalse();
    assertThat(ParaphraseCheck.cosineOnly(0.9).accepts(null, "anything", 0.95)).isTrue();
    assertThat(ParaphraseCheck.cosineOnly(0.9).accepts(null, "anything", 0.85)).isFalse();
  }

  @Test
  void theShippedCheckIsReadFromItsResource() {
    ParaphraseCheck shipped = ParaphraseCheck.shipped();
    assertThat(shipped.similarity()).isBetween(0.8, 0.99);
    assertThat(shipped.minOrder()).isEqualTo(1.0);
    assertThat(ParaphraseCheck.fromJson(shipped.toJson())).isEqualTo(shipped);
  }

  @Test
  void featuresReadOrderOverlapSubstitutionsAndNumbers() {
    ParaphraseFeatures swapped = ParaphraseFeatures.of("from Paris to Rome", "from Rome to Paris");
    assertThat(swapped.tokenJaccard()).isEqualTo(1.0);
    assertThat(swapped.order()).isLessThan(1.0);
    ParaphraseFeatures substituted = ParaphraseFeatures.of("the town of Lysos", "the village of Lysos");
    assertThat(substituted.substitutions()).isEqualTo(1);
    assertThat(ParaphraseFeatures.of("40 people", "43 people").numbersDiffer()).isTrue();
  }
}
