package dev.aigis.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutcomeTallyTest {

  private static final RequestMix.Scenario PLAIN = new RequestMix.Scenario(TrafficKind.OPENAI_PLAIN, Fault.NONE);
  private static final RequestMix.Scenario SLOW = new RequestMix.Scenario(TrafficKind.ANTHROPIC_STREAM, Fault.UPSTREAM_SLOW);

  @Test
  void countsByScenarioAndOutcomeKeepingTheFirstDetail() {
    var tally = new OutcomeTally();

    assertThat(tally.record(PLAIN, new Outcome(200, Ending.COMPLETE), null)).isTrue();
    assertThat(tally.record(PLAIN, new Outcome(200, Ending.COMPLETE), null)).isFalse();
    assertThat(tally.record(PLAIN, new Outcome(504, Ending.COMPLETE), "first 504")).isTrue();
    tally.record(PLAIN, new Outcome(504, Ending.COMPLETE), "second 504");
    tally.record(SLOW, new Outcome(504, Ending.COMPLETE), null);

    assertThat(tally.total()).isEqualTo(5);
    assertThat(tally.unexplained()).isEqualTo(2);
    assertThat(tally.counts()).containsExactly(
        new OutcomeTally.Count(TrafficKind.OPENAI_PLAIN, Fault.NONE, new Outcome(200, Ending.COMPLETE), 2, true, null),
        new OutcomeTally.Count(TrafficKind.OPENAI_PLAIN, Fault.NONE, new Outcome(504, Ending.COMPLETE), 2, false,
            "first 504"),
        new OutcomeTally.Count(TrafficKind.ANTHROPIC_STREAM, Fault.UPSTREAM_SLOW, new Outcome(504, Ending.COMPLETE), 1,
            true, null));
  }
}
