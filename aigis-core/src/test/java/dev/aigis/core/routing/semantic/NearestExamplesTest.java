package dev.aigis.core.routing.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The classifier's arithmetic on hand-made unit vectors. */
class NearestExamplesTest {

  private static float[] unit(double angle) {
    return new float[] {(float) Math.cos(angle), (float) Math.sin(angle), 0, 0, 0};
  }

  @Test
  void theNearestExamplesVoteAndConfidenceIsTheWinnersMeanSimilarity() {
    // Route 0 around angle 0, route 1 around angle pi/2, out of scope at pi.
    var classifier = new NearestExamples(
        List.of(unit(0), unit(0.1), unit(0.2), unit(Math.PI / 2), unit(Math.PI / 2 + 0.1), unit(Math.PI / 2 - 0.1),
            unit(Math.PI)),
        new int[] {0, 0, 0, 1, 1, 1, NearestExamples.OUT_OF_SCOPE}, 2, 3);

    var near0 = classifier.classify(unit(0.05));
    assertThat(near0.label()).isEqualTo(0);
    assertThat(near0.confidence()).isCloseTo((Math.cos(0.05) + Math.cos(0.05) + Math.cos(0.15)) / 3, within(1e-5));
    assertThat(classifier.classify(unit(Math.PI / 2 + 0.02)).label()).isEqualTo(1);
    assertThat(classifier.classify(unit(Math.PI - 0.05)).label()).isEqualTo(NearestExamples.OUT_OF_SCOPE);
  }

  @Test
  void aRouteWithOneExampleIsNotPenalisedForHavingNoSecondOne() {
    var classifier = new NearestExamples(List.of(unit(0), unit(Math.PI / 2)), new int[] {0, 1}, 2, 10);

    var found = classifier.classify(unit(0.1));
    assertThat(found.label()).isEqualTo(0);
    assertThat(found.confidence()).isCloseTo(Math.cos(0.1), within(1e-5));
  }

  @Test
  void negativeSimilaritiesCountAsNothing() {
    var classifier = new NearestExamples(List.of(unit(0)), new int[] {0}, 1, 5);

    assertThat(classifier.classify(unit(Math.PI)).confidence()).isEqualTo(0);
  }
}
