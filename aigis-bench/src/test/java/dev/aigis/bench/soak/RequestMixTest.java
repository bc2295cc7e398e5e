package dev.aigis.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestMixTest {

  @Test
  void theSameSeedDrawsTheSameSequence() {
    assertThat(draw(new RequestMix(7), 1_000)).isEqualTo(draw(new RequestMix(7), 1_000));
    assertThat(draw(new RequestMix(7), 1_000)).isNotEqualTo(draw(new RequestMix(8), 1_000));
  }

  @Test
  void onlyFaultsThatApplyAreDrawnAndEveryScenarioComesUp() {
    List<RequestMix.Scenario> drawn = draw(new RequestMix(1), 100_000);

    assertThat(drawn).allMatch(s -> s.fault().appliesTo(s.kind()));
    assertThat(drawn).containsAll(RequestMix.all());
  }

  @Test
  void everyScenarioHasTheShareItsWeightsGive() {
    int n = 200_000;
    Map<RequestMix.Scenario, Integer> counts = new HashMap<>();
    draw(new RequestMix(3), n).forEach(s -> counts.merge(s, 1, Integer::sum));

    for (RequestMix.Scenario s : RequestMix.all()) {
      assertThat(counts.get(s) / (double) n).as(s.toString()).isCloseTo(RequestMix.share(s), within(0.005));
    }
    assertThat(RequestMix.all().stream().mapToDouble(RequestMix::share).sum()).isCloseTo(1, within(1e-9));
  }

  @Test
  void plainAndStreamKindsHaveTheirOwnFaults() {
    assertThat(RequestMix.faultsFor(TrafficKind.OPENAI_PLAIN)).containsExactly(Fault.UPSTREAM_500, Fault.UPSTREAM_429,
        Fault.UPSTREAM_DROP, Fault.UPSTREAM_SLOW, Fault.MALFORMED_JSON, Fault.OVERSIZE_BODY, Fault.UNKNOWN_MODEL);
    assertThat(RequestMix.faultsFor(TrafficKind.ANTHROPIC_STREAM)).containsExactly(Fault.UPSTREAM_500,
        Fault.UPSTREAM_429, Fault.UPSTREAM_RESET, Fault.UPSTREAM_SLOW, Fault.CLIENT_DISCONNECT, Fault.MALFORMED_JSON,
        Fault.OVERSIZE_BODY, Fault.UNKNOWN_MODEL);
  }

  private static List<RequestMix.Scenario> draw(RequestMix mix, int n) {
    List<RequestMix.Scenario> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(mix.next());
    }
    return out;
  }
}
