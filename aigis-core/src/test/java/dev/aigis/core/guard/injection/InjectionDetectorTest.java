package dev.aigis.core.guard.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.guard.TextScorer;
import dev.aigis.core.guard.classify.LogisticRegression;
import dev.aigis.core.guard.injection.InjectionFeatures.Window;
import dev.aigis.core.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The combination of classifier and rules, on a hand-built model so every number is known. */
class InjectionDetectorTest {

  private static final InjectionFeatures FEATURES = new InjectionFeatures(Window.CUE, 64, 16, 16);

  /** A classifier whose logit is the bias alone (all weights zero). */
  private static InjectionModel model(float classifierBias, InjectionModel.Combiner combiner, double threshold) {
    var classifier = new LogisticRegression(new float[FEATURES.size(8)], classifierBias, Map.of());
    return new InjectionModel(FEATURES, classifier, combiner, threshold, Map.of());
  }

  /** Rules stand-in: a fixed score and rule ids for texts containing "rule". */
  private static final PreparedText.Preparer RULES = text -> text.contains("rule")
      ? new PreparedText(text, 0.8, List.of("ignore-previous-instructions"))
      : new PreparedText(text, 0, List.of());

  @Test
  void aRuleHitCanFlagWhatTheClassifierDoubts() {
    // Classifier logit -1 (p = 0.27); combined z = -1 + 4 * 0.8 + 1 = 3.2 with a hit, -1 without.
    var combiner = new InjectionModel.Combiner(1, 4, 1, 0);
    var detector = new InjectionDetector(RULES, new FakeEmbedder(), model(-1, combiner, 0.5));
    TextScorer.Scored hit = detector.score("a rule fired");
    assertThat(hit.score()).isEqualTo(1 / (1 + Math.exp(-3.2)));
    assertThat(hit.flagged()).isTrue();
    assertThat(hit.signals()).containsExactly("ignore-previous-instructions");
    TextScorer.Scored clean = detector.score("nothing here");
    assertThat(clean.score()).isEqualTo(1 / (1 + Math.exp(1)));
    assertThat(clean.flagged()).isFalse();
    assertThat(clean.signals()).isEmpty();
  }

  @Test
  void theClassifierSignalCarriesItsOwnProbabilityNeverText() {
    var combiner = new InjectionModel.Combiner(1, 0, 0, 0);
    var detector = new InjectionDetector(RULES, new FakeEmbedder(), model(2, combiner, 0.9));
    TextScorer.Scored scored = detector.score("a rule and a secret");
    // p = sigmoid(2) = 0.8808 -> "0.88"; combined equals it, below the 0.9 threshold.
    assertThat(scored.signals()).containsExactly("classifier:0.88", "ignore-previous-instructions");
    assertThat(scored.flagged()).isFalse();
    assertThat(detector.threshold()).isEqualTo(0.9);
  }

  @Test
  void aFlaggedScoreIsAtLeastTheThreshold() {
    var combiner = new InjectionModel.Combiner(1, 0, 0, 0);
    double exact = 1 / (1 + Math.exp(-2.0f));
    var detector = new InjectionDetector(RULES, new FakeEmbedder(), model(2, combiner, exact));
    assertThat(detector.score("x").flagged()).isTrue();
    assertThat(detector.score("x").score()).isGreaterThanOrEqualTo(exact);
  }

  @Test
  void aModelForOtherFeaturesIsRefused() {
    var model = new InjectionModel(FEATURES, new LogisticRegression(new float[3], 0, Map.of()),
        new InjectionModel.Combiner(1, 0, 0, 0), 0.5, Map.of());
    assertThatThrownBy(() -> new InjectionDetector(RULES, new FakeEmbedder(), model))
        .hasMessage("model has 3 weights, features give " + FEATURES.size(8));
  }

  @Test
  void theModelRoundTripsThroughJson() {
    var model = model(1.5f, new InjectionModel.Combiner(0.9, 2.5, 0.7, -0.3), 0.42);
    var back = InjectionModel.fromJson(Json.MAPPER.valueToTree(model.toJson()));
    assertThat(back.combiner()).isEqualTo(model.combiner());
    assertThat(back.threshold()).isEqualTo(0.42);
    assertThat(back.features()).isEqualTo(FEATURES);
    assertThat(back.classifier().logit(new float[FEATURES.size(8)])).isEqualTo(1.5);
  }
}
