package dev.aigis.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OutcomeClassifierTest {

  @Test
  void eachFaultHasItsClientOutcomeAndGatewayStatus() {
    assertExpected(TrafficKind.OPENAI_PLAIN, Fault.NONE, new Outcome(200, Ending.COMPLETE), 200);
    assertExpected(TrafficKind.ANTHROPIC_STREAM, Fault.NONE, new Outcome(200, Ending.COMPLETE), 200);
    assertExpected(TrafficKind.OPENAI_STREAM, Fault.UPSTREAM_500, new Outcome(500, Ending.COMPLETE), 500);
    assertExpected(TrafficKind.ANTHROPIC_PLAIN, Fault.UPSTREAM_429, new Outcome(429, Ending.COMPLETE), 429);
    assertExpected(TrafficKind.OPENAI_STREAM, Fault.UPSTREAM_RESET, new Outcome(200, Ending.ERROR_EVENT), 502);
    assertExpected(TrafficKind.ANTHROPIC_PLAIN, Fault.UPSTREAM_DROP, new Outcome(502, Ending.COMPLETE), 502);
    assertExpected(TrafficKind.ANTHROPIC_STREAM, Fault.UPSTREAM_SLOW, new Outcome(504, Ending.COMPLETE), 504);
    assertExpected(TrafficKind.ANTHROPIC_STREAM, Fault.CLIENT_DISCONNECT, new Outcome(200, Ending.CLIENT_ABORT), 499);
    assertExpected(TrafficKind.OPENAI_PLAIN, Fault.MALFORMED_JSON, new Outcome(400, Ending.COMPLETE), 400);
    assertExpected(TrafficKind.OPENAI_STREAM, Fault.OVERSIZE_BODY, new Outcome(413, Ending.COMPLETE), 413);
    assertExpected(TrafficKind.ANTHROPIC_PLAIN, Fault.UNKNOWN_MODEL, new Outcome(404, Ending.COMPLETE), 404);
  }

  @ParameterizedTest
  @EnumSource(TrafficKind.class)
  void aTransportErrorWithoutFaultIsUnexplained(TrafficKind kind) {
    assertThat(OutcomeClassifier.explained(kind, Fault.NONE, Outcome.noResponse())).isFalse();
    assertThat(OutcomeClassifier.gatewayStatus(kind, Fault.NONE, Outcome.noResponse())).isEmpty();
  }

  @Test
  void aStatusOtherThanTheFaultsIsUnexplainedButStillTellsTheGatewaysStatus() {
    var got = new Outcome(504, Ending.COMPLETE);

    assertThat(OutcomeClassifier.explained(TrafficKind.OPENAI_PLAIN, Fault.NONE, got)).isFalse();
    assertThat(OutcomeClassifier.gatewayStatus(TrafficKind.OPENAI_PLAIN, Fault.NONE, got)).isEqualTo(OptionalInt.of(504));
  }

  @Test
  void theRightStatusEndedTheWrongWayIsUnexplained() {
    // a reset stream the gateway passed off as complete, and one it cut without an error event
    assertThat(OutcomeClassifier.explained(TrafficKind.OPENAI_STREAM, Fault.UPSTREAM_RESET,
        new Outcome(200, Ending.COMPLETE))).isFalse();
    assertThat(OutcomeClassifier.explained(TrafficKind.ANTHROPIC_STREAM, Fault.UPSTREAM_RESET,
        new Outcome(200, Ending.CUT))).isFalse();
    assertThat(OutcomeClassifier.gatewayStatus(TrafficKind.ANTHROPIC_STREAM, Fault.UPSTREAM_RESET,
        new Outcome(200, Ending.CUT))).isEmpty();
    // a no-fault stream that ended in an error event
    assertThat(OutcomeClassifier.explained(TrafficKind.OPENAI_STREAM, Fault.NONE,
        new Outcome(200, Ending.ERROR_EVENT))).isFalse();
  }

  @Test
  void aFaultThatDoesNotApplyToTheKindIsRefused() {
    assertThatThrownBy(() -> OutcomeClassifier.expected(TrafficKind.OPENAI_PLAIN, Fault.CLIENT_DISCONNECT))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("CLIENT_DISCONNECT does not apply to OPENAI_PLAIN");
    assertThatThrownBy(() -> OutcomeClassifier.expected(TrafficKind.ANTHROPIC_STREAM, Fault.UPSTREAM_DROP))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertExpected(TrafficKind kind, Fault fault, Outcome client, int gatewayStatus) {
    assertThat(OutcomeClassifier.expected(kind, fault))
        .isEqualTo(new OutcomeClassifier.Expectation(client, gatewayStatus));
    assertThat(OutcomeClassifier.explained(kind, fault, client)).isTrue();
    assertThat(OutcomeClassifier.gatewayStatus(kind, fault, client)).isEqualTo(OptionalInt.of(gatewayStatus));
  }
}
