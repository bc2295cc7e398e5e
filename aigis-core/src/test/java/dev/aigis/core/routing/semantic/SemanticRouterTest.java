package dev.aigis.core.routing.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.embedding.MiniLmEmbedder;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The router with the shipped embedding model: routes, low confidence, out of scope, reasons. */
class SemanticRouterTest {

  static final RouteExamples EXAMPLES = new RouteExamples(List.of(
      new RouteExamples.Route("billing", "billing-model", List.of("what is my account balance",
          "I want to pay my credit card bill", "why was I charged twice this month", "send me my latest invoice",
          "how do I update my payment method")),
      new RouteExamples.Route("travel", "travel-model", List.of("book a flight to paris",
          "find me a hotel in rome for two nights", "what is the baggage allowance on my flight",
          "I need a rental car at the airport", "cancel my train ticket to berlin"))),
      List.of("tell me a joke", "what is the meaning of life"));

  static SemanticRouter router;

  @BeforeAll
  static void build() {
    router = SemanticRouter.build(EXAMPLES, 10, 0.41, "general-model", MiniLmEmbedder.shared(), done -> {});
  }

  private static RouteDecision decide(String text) {
    return router.decide(MiniLmEmbedder.shared().embed(text));
  }

  @Test
  void aCloseParaphraseTakesItsRouteWithItsTarget() {
    RouteDecision billing = decide("why did you charge my card twice");
    RouteDecision travel = decide("please book me a flight to rome");

    assertThat(billing.outcome()).isEqualTo(RouteDecision.Outcome.ROUTED);
    assertThat(billing.route()).isEqualTo("billing");
    assertThat(billing.target()).isEqualTo("billing-model");
    assertThat(billing.reason()).startsWith("route=billing; confidence=0.");
    assertThat(billing.metricRoute()).isEqualTo("billing");
    assertThat(billing.confidenceBucket()).isEqualTo("high");
    assertThat(travel.route()).isEqualTo("travel");
    assertThat(travel.target()).isEqualTo("travel-model");
  }

  @Test
  void anUnrelatedRequestGoesToTheDefaultAndSaysWhy() {
    RouteDecision decision = decide("what is the boiling point of tungsten in kelvin");

    assertThat(decision.outcome()).isIn(RouteDecision.Outcome.LOW_CONFIDENCE, RouteDecision.Outcome.OUT_OF_SCOPE);
    assertThat(decision.target()).isEqualTo("general-model");
    assertThat(decision.metricRoute()).isIn("default", "out_of_scope");
    assertThat(decision.confidenceBucket()).isEqualTo(
        decision.outcome() == RouteDecision.Outcome.LOW_CONFIDENCE ? "low" : decision.confidenceBucket());
  }

  @Test
  void anOutOfScopeExampleWinsOverTheRoutes() {
    RouteDecision decision = decide("tell me a funny joke");

    assertThat(decision.outcome()).isEqualTo(RouteDecision.Outcome.OUT_OF_SCOPE);
    assertThat(decision.route()).isNull();
    assertThat(decision.target()).isEqualTo("general-model");
    assertThat(decision.reason()).startsWith("out_of_scope; confidence=");
  }

  @Test
  void reasonsAreShortAndCarryNoClientText() {
    assertThat(new RouteDecision(RouteDecision.Outcome.LOW_CONFIDENCE, "billing", "general-model", 0.32, 0.41).reason())
        .isEqualTo("default; route=billing; confidence=0.32 below 0.41");
    assertThat(new RouteDecision(RouteDecision.Outcome.ROUTED, "billing", "b", 0.9123, 0.41).reason())
        .isEqualTo("route=billing; confidence=0.91");
    assertThat(router.noText().reason()).isEqualTo("default; no text to classify");
    assertThat(router.noText().metricRoute()).isEqualTo("default");
    assertThat(router.noText().confidenceBucket()).isEqualTo("low");
  }
}
